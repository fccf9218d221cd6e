import Support
import TestSupport
import Testing

@Suite struct ParallelThreadsTests {
    @Test func everyIndexRunsOnceAndResultsKeepTheirOrder() {
        #expect(ParallelThreads.map(0) { $0 }.isEmpty)
        #expect(ParallelThreads.map(1) { $0 * 10 } == [0])
        #expect(ParallelThreads.map(7) { $0 * $0 } == [0, 1, 4, 9, 16, 25, 36])
    }

    @Test func theBodiesRunAtTheSameTime() {
        // Each body waits until all three have started: run one after another, the first
        // would wait in vain (the barrier gives up after its timeout and says so).
        let barrier = Barrier(parties: 3)
        let met = ParallelThreads.map(3) { _ in barrier.arriveAndWait(timeout: 10) }
        #expect(met == [true, true, true])
    }
}
