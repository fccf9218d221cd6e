import Foundation
import Testing
import CacheOps
import Keyspace
@testable import Redis
import Support
import TestSupport

/// `cache invalidate`'s cluster service on the shared 3+3 cluster. Each test keeps to a key
/// prefix of its own; the one that migrates a slot leaves it as it found it.
@Suite(.serialized) struct ClusterInvalidationTests {
    let cluster: RedisClusterRouter
    let prefix: String

    init() throws {
        cluster = try RedisClusterRouter(seeds: [RedisURL(parsing: ClusterServers.url())], connectTimeout: 2, commandTimeout: 5)
        prefix = "cinv\(UUID().uuidString.prefix(6)):"
    }

    func set(_ keys: [String]) throws {
        let replies = try cluster.pipeline(keyed: keys.map { (Array($0.utf8), ["SET", $0, "v", "PX", 600_000]) })
        #expect(replies.allSatisfy { $0 == .status("OK") })
    }

    func existing(_ keys: [String]) throws -> Int {
        try cluster.pipeline(keyed: keys.map { (Array($0.utf8), ["EXISTS", $0]) }).reduce(0) { $0 + Int($1.int ?? 0) }
    }

    func run(_ targets: [InvalidationTarget], dryRun: Bool = false, count: Int? = nil) throws -> InvalidationReport {
        var service = ClusterInvalidation(cluster: cluster)
        service.scanCount = count
        return try service.run(InvalidationRequest(targets: targets, keyspace: keyspace(prefix)), dryRun: dryRun)
    }

    @Test func aPatternIsWalkedOnEveryPrimaryAndOnlyItsKeysGo() throws {
        let targets = (0..<600).map { "\(prefix)perm:42:\($0):product:read" }
        let decoys = (0..<60).map { "\(prefix)perm:420:\($0):product:read" } + ["\(prefix)perm:42", "\(prefix)xperm:42:1"]
        try set(targets + decoys)
        let dry = try run([.pattern(Array("\(prefix)perm:42:*".utf8))], dryRun: true, count: 50)
        #expect(dry.matched == 600)
        #expect(try existing(targets) == 600)

        let report = try run([.pattern(Array("\(prefix)perm:42:*".utf8))], count: 50)
        #expect(report.deleted == 600)
        #expect(report.nodes.count == 3)
        #expect(report.nodes.allSatisfy { $0.deleted > 100 })  // every primary held some
        #expect(report.nodes.reduce(0) { $0 + $1.deleted } == 600)
        #expect(try existing(targets) == 0)
        #expect(try existing(decoys) == decoys.count)
        _ = try cluster.pipeline(keyed: decoys.map { (Array($0.utf8), ["UNLINK", $0]) })
    }

    @Test func keysByNameAreDeletedOnTheirNodesAndTheirSlotsEpochsBumped() throws {
        let names = (0..<30).map { "\(prefix)product:\($0)" }
        try set(names)
        let bound = keyspace(prefix)
        // An epoch field a warm guarding per slot would have created, for three of the keys.
        let guarded = names.prefix(3).map { bound.epochKey(slot: HashSlot.of(Array($0.utf8))) }
        for key in guarded { try cluster.command(key: key, ["HSET", key, "product", "5"]) }
        let report = try run(names.map { .key(Array($0.utf8)) } + [.key(Array("\(prefix)product:missing".utf8))])
        #expect(report.deleted == 30)
        #expect(report.namedMatched == 30)
        #expect(report.families == ["product"])
        #expect(Set(report.nodes.filter { $0.namedMatched > 0 }.map(\.address)).count == 3)
        #expect(try existing(names) == 0)
        for key in guarded { #expect(try cluster.command(key: key, ["HGET", key, "product"]) == .bulk(Array("6".utf8))) }
        // The change log, on its own node, has the record.
        #expect(try cluster.command(key: bound.changeLogKey, ["HGET", bound.changeLogKey, "seq"]).string?.hasSuffix(":1") == true)
        for key in guarded + [bound.changeLogKey] { try cluster.command(key: key, ["DEL", key]) }
    }

    @Test func aPatternBumpsTheFamilysEpochOfEverySlotOnEveryNode() throws {
        let bound = keyspace(prefix)
        let slots = cluster.map.shards.compactMap { $0.slots.first?.lowerBound }  // one per primary
        #expect(Set(slots.compactMap { cluster.map.primary(ofSlot: $0) }).count == 3)
        for slot in slots {
            let key = bound.epochKey(slot: slot)
            try cluster.command(key: key, ["HSET", key, "perm", "1"])
        }
        try set(["\(prefix)perm:1:2:product:read"])
        let report = try run([.pattern(Array("\(prefix)perm:*".utf8))])
        #expect(report.deleted == 1)
        for slot in slots {
            let key = bound.epochKey(slot: slot)
            #expect(try cluster.command(key: key, ["HGET", key, "perm"]) == .bulk(Array("2".utf8)))
            try cluster.command(key: key, ["DEL", key])
        }
        try cluster.command(key: bound.changeLogKey, ["DEL", bound.changeLogKey])
    }

    @Test func aPatternPinnedToOneSlotWalksOneNode() throws {
        let keys = (0..<20).map { "\(prefix){user7}:perm:\($0)" }
        try set(keys)
        let report = try run([.pattern(Array("\(prefix){user7}:perm:*".utf8))])
        #expect(report.deleted == 20)
        let owner = try cluster.primary(forKey: Array("\(prefix){user7}:x".utf8)).description
        #expect(report.nodes.filter { $0.scanned > 0 }.map(\.address) == [owner])
    }

    @Test func keysOfASlotMigratingDuringTheWalkAreDeletedWhereTheyAre() throws {
        // Keys of one slot, half of them already moved to the importing node.
        let keys = (0..<40).map { "\(prefix)cart:{mig\(prefix)}:\($0)" }
        let others = (0..<40).map { "\(prefix)cart:\($0)" }
        try set(keys + others)
        let slot = HashSlot.of(Array(keys[0].utf8))
        let source = try cluster.primary(forKey: Array(keys[0].utf8))
        let target = try #require(cluster.map.primaries.first { $0 != source })
        let from = try RedisConnection(url: cluster.url(of: source))
        let to = try RedisConnection(url: cluster.url(of: target))
        let sourceID = try #require(from.command("CLUSTER", "MYID").string)
        let targetID = try #require(to.command("CLUSTER", "MYID").string)
        defer {
            _ = try? from.command("CLUSTER", "SETSLOT", slot, "STABLE")
            _ = try? to.command("CLUSTER", "SETSLOT", slot, "STABLE")
        }
        try to.command("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceID)
        try from.command("CLUSTER", "SETSLOT", slot, "MIGRATING", targetID)
        guard case .tcp(let host, let port) = cluster.url(of: target).endpoint else { return }
        var migrate: [any RedisArgument] = ["MIGRATE", host, port, "", 0, 5000, "KEYS"]
        migrate += keys.prefix(20).map { $0 as any RedisArgument }
        try from.command(migrate)

        let report = try run([.pattern(Array("\(prefix)cart:*".utf8))], count: 20)
        #expect(report.deleted == 80)
        #expect(try from.command("CLUSTER", "COUNTKEYSINSLOT", slot).int == 0)
        #expect(try to.command("CLUSTER", "COUNTKEYSINSLOT", slot).int == 0)
        #expect(try existing(others) == 0)
    }
}
