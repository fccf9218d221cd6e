import Foundation
import Testing
import CacheOps
import Keyspace
import Redis
import Support
import TestSupport

/// The deletion engine every invalidation uses, on a redis-server of its own (port 6460):
/// sweeps read the whole database, so nothing else may share it.
@Suite(.serialized) final class InvalidationCoreTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6460)
        redis = try RedisConnection(server.url(database: 0))
    }

    func set(_ keys: [String]) throws {
        _ = try redis.pipeline(keys.map { ["SET", $0, "v"] })
    }

    func set(bytes keys: [[UInt8]]) throws {
        _ = try redis.pipeline(keys.map { ["SET", $0, "v"] as [any RedisArgument] })
    }

    func exists(_ key: String) throws -> Bool { try redis.command(["EXISTS", key]).int == 1 }

    func allKeys() throws -> Set<[UInt8]> {
        var scanner = redis.scan(count: 1000)
        var out = Set<[UInt8]>()
        try scanner.forEachKey { out.insert($0) }
        return out
    }

    @Test func sweepDeletesExactlyWhatMatchesAmongDecoys() throws {
        try redis.command(["FLUSHDB"])
        let targets = (0..<500).map { "perm:42:\($0):product:read" }
        let decoys = ["perm:420:1:product:read", "perm:4:1:product:read", "perm:4:42:product:read", "xperm:42:1", "perm:42"]
        try set(targets + decoys)
        let report = try KeySweeper(redis: redis, count: 50).sweep(pattern: Array("perm:42:*".utf8))
        #expect(report.deleted == 500)
        #expect(report.matched == 500)
        #expect(!report.interrupted)
        for decoy in decoys { #expect(try exists(decoy), "\(decoy) was deleted") }
        #expect(try redis.command(["DBSIZE"]).int == Int64(decoys.count))
    }

    @Test func sweepHonoursTheExactTestAndGlobCharacters() throws {
        try redis.command(["FLUSHDB"])
        try set(["product:[1]", "product:1", "product:[1]:with-variants", "org:7", "org:7:members", "org:search:abc"])
        let bracket = try unprefixed.selector(.product, params: ["productId": "[1]"])
        // The registry's product template takes integers only; the literal bracket key is
        // matched by the escaped glob, and the exact test is what decides.
        let glob = Glob.escape("product:[1]")
        let report = try KeySweeper(redis: redis).sweep(pattern: Array(glob.utf8))
        #expect(report.deleted == 1)
        #expect(try !exists("product:[1]"))
        #expect(try exists("product:1"))
        _ = bracket

        // org:* reaches org:7:members and org:search:abc too; the org family's selector keeps them.
        let org = try unprefixed.selector(.org)
        let orgReport = try KeySweeper(redis: redis).sweep(pattern: org.pattern, accept: { org.matches($0) })
        #expect(orgReport.deleted == 1)
        #expect(try !exists("org:7"))
        #expect(try exists("org:7:members"))
        #expect(try exists("org:search:abc"))
    }

    @Test func binaryKeysAreMatchedAndDeletedByteForByte() throws {
        try redis.command(["FLUSHDB"])
        let binary: [[UInt8]] = [Array("bin:".utf8) + [0x0A, 0xFF, 0x00, 0x41], Array("bin:".utf8) + [0xFF], Array("bim:".utf8) + [0xFF]]
        try set(bytes: binary)
        let report = try KeySweeper(redis: redis).sweep(pattern: Array("bin:*".utf8))
        #expect(report.deleted == 2)
        #expect(try allKeys() == [Array("bim:".utf8) + [0xFF]])
    }

    @Test func dryRunDeletesNothing() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<300).map { "stock:\($0)" })
        let report = try KeySweeper(redis: redis, count: 10).sweep(pattern: Array("stock:*".utf8), dryRun: true)
        #expect(report.matched == 300)
        #expect(report.deleted == 0)
        #expect(try redis.command(["DBSIZE"]).int == 300)
    }

    @Test func deletedCountIsExactWhenAnotherClientDeletesDuringTheWalk() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<2000).map { "cart:\($0)" })
        let other = try RedisConnection(server.url(database: 0))
        var otherDeleted = 0
        let report = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array("cart:*".utf8), onBatch: { _ in
            // Between our batches another client removes keys we may not have seen yet.
            otherDeleted += Int(try other.command(["DEL", "cart:\(otherDeleted * 7 % 2000)"]).int ?? 0)
        })
        #expect(report.deleted + otherDeleted == 2000)
        #expect(try redis.command(["DBSIZE"]).int == 0)
    }

    @Test func keysPresentThroughoutAreDeletedWhileTheKeyspaceGrows() throws {
        try redis.command(["FLUSHDB"])
        let original = (0..<3000).map { "session:s\($0)" }
        try set(original)
        let other = try RedisConnection(server.url(database: 0))
        var added = 0
        _ = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array("session:*".utf8), onBatch: { _ in
            _ = try other.pipeline((0..<200).map { ["SET", "grow:\(added + $0)", "v"] })
            added += 200
        })
        for key in original { #expect(try !exists(key)) }
        #expect(try redis.command(["DBSIZE"]).int == Int64(added))
    }

    @Test func interruptStopsBetweenBatchesAndReportsWhatWasDeleted() throws {
        try withOwnInterrupt { interrupt in
            try redis.command(["FLUSHDB"])
            try set((0..<5000).map { "stock:\($0)" })
            var batches = 0
            let report = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array("stock:*".utf8), onBatch: { _ in
                batches += 1
                if batches == 5 { interrupt.request() }
            })
            #expect(report.interrupted)
            let remaining = Int(try redis.command(["DBSIZE"]).int ?? -1)
            #expect(report.deleted == 5000 - remaining)
            #expect(remaining > 0)
        }
    }

    @Test func deleterCountsOnlyKeysThatExisted() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<1200).map { "stock:\($0)" })
        let names = (0..<1500).map { "stock:\($0)" } + ["stock:1", "stock:2"]
        let deleted = try KeyDeleter(redis: redis, keysPerCommand: 100, commandsPerRoundTrip: 3).delete(names)
        #expect(deleted == 1200)
        #expect(try redis.command(["DBSIZE"]).int == 0)
    }

    @Test func planExecutorBumpsEpochsDeletesByNameAndSweeps() throws {
        try redis.command(["FLUSHDB"])
        let change = DataChange.organization(orgId: 7, memberIds: [5], permissionCatalog: [ResourceAction("product", "read")])
        let plan = try keyspace("app:").plan(for: change)
        try set(plan.keys.map(text) + ["app:org:search:h1", "app:org:search:h2", "app:org:8", "app:perm:5:8:product:read", "app:refunds:org:7:f"])
        let log = ChangeLog(redis: redis, keyspace: keyspace("app:"))
        let before = try log.position()

        let dry = try PlanExecutor(redis: redis, keyspace: keyspace("app:")).apply(plan, dryRun: true, listKeys: true)
        #expect(dry.deletedByName == plan.keys.count)
        #expect(dry.sweeps.map(\.matched).reduce(0, +) == 3)
        #expect(try redis.command(["DBSIZE"]).int == Int64(plan.keys.count + 5))

        let outcome = try PlanExecutor(redis: redis, keyspace: keyspace("app:")).apply(plan)
        #expect(outcome.deletedByName == plan.keys.count)
        #expect(outcome.deleted == plan.keys.count + 3)
        #expect(try exists("app:org:8"))
        #expect(try exists("app:perm:5:8:product:read"))
        // The keys by name, recorded before they were deleted (the dry run recorded nothing).
        let records = try #require(try log.records(since: before)).map(\.1)
        #expect(records.count == 1)
        let named = Set(records.flatMap(\.touches).flatMap { touch -> [[UInt8]] in
            if case .keys(let keys) = touch.touch { return keys } else { return [] }
        })
        let warmable = plan.keys.filter { key in
            keyspace("app:").parse(key).family.map { $0.warmability.isWarmable } ?? false
        }
        #expect(named == Set(warmable))
        #expect(Set(records[0].families) == ["org", "perm", "org-members", "org-stats", "org-products", "user-orgs"])
    }

    /// A dry run asks EXISTS of every key named: the keys that exist come back in order,
    /// and an error reply fails the run (a plan's dry run used to read it as "does not
    /// exist" and report fewer keys than there are).
    @Test func existenceCheckListsWhatExistsAndThrowsOnAnErrorReply() throws {
        try redis.command(["FLUSHDB"])
        let change = DataChange.organization(orgId: 7, memberIds: [5], permissionCatalog: [ResourceAction("product", "read")])
        let plan = try keyspace("app:").plan(for: change)
        try set(plan.keys.prefix(2).map(text) + ["stock:1", "stock:2"])
        let names = ["stock:2", "stock:9", "stock:1", "stock:2"]
        #expect(try KeyDeleter(redis: redis, keysPerCommand: 1, commandsPerRoundTrip: 2).existing(names) == ["stock:2", "stock:1", "stock:2"])
        #expect(try KeyDeleter(redis: redis).existing([String]()) == [])

        try redis.command(["ACL", "SETUSER", "no-exists", "reset", "on", ">pw", "~*", "+@all", "-exists"])
        defer { _ = try? redis.command(["ACL", "DELUSER", "no-exists"]) }
        let denied = try RedisConnection("redis://no-exists:pw@127.0.0.1:\(server.port)/0")
        #expect(throws: RedisError.self) { try KeyDeleter(redis: denied).existing(names) }
        #expect(throws: RedisError.self) { try PlanExecutor(redis: denied, keyspace: keyspace("app:")).apply(plan, dryRun: true) }
        #expect(try PlanExecutor(redis: redis, keyspace: keyspace("app:")).apply(plan, dryRun: true).deletedByName == 2)
    }
}
