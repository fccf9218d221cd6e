import Testing
@testable import CacheOps
import Keyspace
import Redis
import Support
import TestSupport

/// Sweeps of one family share a walk (port 6493, a server of the orgs/perms range: the
/// walk reads the whole database).
@Suite(.serialized) final class PlanWalkTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6493)
        redis = try RedisConnection(server.url(database: 0))
    }

    @Test func manySweepsOfOneFamilyWalkOnceAndDeleteExactlyTheirKeys() throws {
        try redis.command(["FLUSHDB"])
        let swept = (1...200).flatMap { ["commission:\($0):19.99", "commission:\($0):20"] }
        let kept = ["commission:201:19.99", "commission:2000:5", "commission:10", "org:search:a", "product:5", "commission:0:1"]
        _ = try redis.pipeline((swept + kept).map { ["SET", $0, "v"] })
        let plan = try unprefixed.plan(for: [
            .commissionRules(productIds: Array(1...200)),
            .organization(orgId: 9, memberIds: [], permissionCatalog: []),
        ])
        #expect(plan.selectors.count == 202)

        let dry = try PlanExecutor(redis: redis, keyspace: unprefixed).apply(plan, dryRun: true)
        #expect(try redis.command(["DBSIZE"]).int == Int64(swept.count + kept.count))
        #expect(dry.sweeps.first { $0.selectors == 200 }?.matched == swept.count)

        var executor = PlanExecutor(redis: redis, keyspace: unprefixed)
        let clock = SteppingClock()
        executor.now = clock.read
        let outcome = try executor.apply(plan)
        // org:search:* and refunds:org:9:* stay walks of their own; the 200 commission sweeps are one.
        #expect(outcome.sweeps.map(\.pattern) == ["commission:*:*", "org:search:*", "refunds:org:9:*"])
        #expect(outcome.sweeps.map(\.selectors) == [200, 1, 1])
        #expect(outcome.sweeps[0].deleted == swept.count)
        #expect(outcome.sweeps[1].deleted == 1)
        var remaining = Set<String>()
        var scanner = redis.scan()
        try scanner.forEachKey { remaining.insert(String(decoding: $0, as: UTF8.self)) }
        #expect(remaining.filter { !$0.hasPrefix("wwctl:") } == Set(kept).subtracting(["org:search:a"]))
        // Each phase is timed from its own readings of the clock, which moves 1 ms a reading:
        // start, end of the deletions by name, start and end of each of the 3 walks, end of
        // the sweeps, end.
        #expect(outcome.byNameMs == 1)
        #expect(outcome.sweeps.map(\.elapsedMs) == [1, 1, 1])
        #expect(outcome.sweepMs == 7)
        #expect(outcome.elapsedMs == 9)
        #expect(clock.readings == 10)
    }

    /// Without sweeps the whole run is the deletion by name.
    @Test func withoutSweepsTheRunTakesWhatTheDeletionByNameTook() throws {
        try redis.command(["FLUSHDB"])
        let plan = try unprefixed.plan(for: [.organization(orgId: 9, memberIds: [], permissionCatalog: [])])
        var executor = PlanExecutor(redis: redis, keyspace: unprefixed)
        let clock = SteppingClock()
        executor.now = clock.read
        let outcome = try executor.apply(plan, runSweeps: false)
        #expect(outcome.sweeps.isEmpty && outcome.skippedSweeps == plan.sweeps)
        #expect(outcome.byNameMs == 1)
        #expect(outcome.sweepMs == 0)
        #expect(outcome.elapsedMs == 1)
    }

    /// Ctrl-C before the sweeps: the keys named are deleted, the walks stop at the first
    /// (which deletes nothing), and the outcome says so instead of throwing it away.
    @Test func anInterruptReturnsWhatWasDeletedByName() throws {
        try withOwnInterrupt { interrupt in
            try redis.command(["FLUSHDB"])
            let plan = try unprefixed.plan(for: [
                .organization(orgId: 9, memberIds: [], permissionCatalog: []),
                .commissionRules(productIds: [1]),
            ])
            #expect(!plan.keys.isEmpty && plan.selectors.count == 3)
            let swept = ["org:search:a", "refunds:org:9:h", "commission:1:19.99"]
            _ = try redis.pipeline((plan.keys.map(text) + swept).map { ["SET", $0, "v"] })

            interrupt.request()
            let outcome = try PlanExecutor(redis: redis, keyspace: unprefixed).apply(plan)
            interrupt.reset()

            #expect(outcome.interrupted)
            #expect(outcome.deletedByName == plan.keys.count)
            #expect(outcome.sweeps.count == 1)
            #expect(outcome.sweeps.first?.deleted == 0)
            // The walks that did not run are named, so the report can say what may be stale.
            #expect(outcome.skippedSweeps.count == 2)
            #expect(!outcome.skippedSweeps.contains(outcome.sweeps[0].pattern))
            #expect(try KeyDeleter(redis: redis).existing(plan.keys).isEmpty)
            #expect(try KeyDeleter(redis: redis).existing(swept) == swept)
        }
    }
}

/// A clock that moves on 1 ms each time it is read, so durations count readings, whatever
/// the machine's speed.
final class SteppingClock {
    private var instant = ContinuousClock.now
    private(set) var readings = 0

    func read() -> ContinuousClock.Instant {
        readings += 1
        instant = instant.advanced(by: .milliseconds(1))
        return instant
    }
}
