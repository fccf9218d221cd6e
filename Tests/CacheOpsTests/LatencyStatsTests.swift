import Testing
@testable import CacheOps

/// The summary `latency` prints: nearest-rank percentiles and doubling buckets.
@Suite struct LatencyStatsTests {
    @Test func percentilesAreNearestRank() throws {
        let samples = (1...100).map { Double($0) / 10 }.shuffled()
        let stats = try #require(LatencyStats(milliseconds: samples))
        #expect(stats.samples == 100)
        #expect(stats.minMs == 0.1 && stats.maxMs == 10)
        #expect(stats.p50Ms == 5 && stats.p90Ms == 9 && stats.p99Ms == 9.9)
        #expect(abs(stats.meanMs - 5.05) < 1e-9)
    }

    @Test func oneSampleIsEveryFigure() throws {
        let stats = try #require(LatencyStats(milliseconds: [0.3]))
        #expect([stats.minMs, stats.p50Ms, stats.p90Ms, stats.p99Ms, stats.maxMs] == [0.3, 0.3, 0.3, 0.3, 0.3])
        #expect(stats.buckets == [.init(upToMs: 0.5, count: 1)])
        #expect(LatencyStats(milliseconds: []) == nil)
    }

    @Test func bucketsDoubleAndKeepEmptyOnesBetween() throws {
        let stats = try #require(LatencyStats(milliseconds: [0.1, 0.125, 0.2, 3, 3.5]))
        #expect(stats.buckets.map(\.upToMs) == [0.125, 0.25, 0.5, 1, 2, 4])
        #expect(stats.buckets.map(\.count) == [2, 1, 0, 0, 0, 2])
        #expect(stats.buckets.map(\.count).reduce(0, +) == 5)
    }
}
