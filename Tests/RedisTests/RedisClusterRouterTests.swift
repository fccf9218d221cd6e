import Foundation
@testable import Redis
import Support
import TestSupport
import Testing

/// The router on the real 3+3 cluster of `scripts/servers.sh start cluster`. The tests that
/// move a slot move it back; they run one at a time since they share the cluster's map.
@Suite(.serialized) struct RedisClusterRouterTests {
    private func router() throws -> RedisClusterRouter {
        try RedisClusterRouter(seeds: [RedisURL(parsing: ClusterServers.url())], connectTimeout: 2, commandTimeout: 2)
    }

    private func tag() -> String { "cluster-tests:\(UUID().uuidString.prefix(8))" }

    @Test func theMapHasThreePrimariesServingEverySlot() throws {
        let router = try router()
        #expect(router.map.primaries.count == 3)
        #expect(router.map.unassignedSlots == 0)
        #expect(router.map.shards.allSatisfy { $0.replicas.count == 1 })
    }

    @Test func keysGoToTheirSlotsPrimaryOneByOneAndPipelined() throws {
        let router = try router()
        let prefix = tag()
        let keys = (0..<200).map { Array("\(prefix):\($0)".utf8) }
        let written = try router.pipeline(keyed: keys.map { ($0, ["SET", $0, "v", "PX", 60_000]) })
        #expect(written.allSatisfy { $0 == .status("OK") })
        var perNode: [ClusterNode: Int] = [:]
        for key in keys { perNode[try router.primary(forKey: key), default: 0] += 1 }
        #expect(perNode.count == 3)
        // Each node holds exactly the keys of its slots (asked directly, not routed).
        for (node, count) in perNode {
            let connection = try router.connection(to: node)
            var found = 0
            var scanner = connection.scan(match: Array("\(prefix):*".utf8), count: 1000)
            try scanner.forEachKey { _ in found += 1 }
            #expect(found == count)
        }
        #expect(try router.command(key: keys[7], ["GET", keys[7]]) == .bulk(Array("v".utf8)))
        let deleted = try router.pipeline(keyed: keys.map { ($0, ["UNLINK", $0]) })
        #expect(deleted.allSatisfy { $0 == .integer(1) })
    }

    @Test func aMovedSlotIsFollowedAndTheMapRead() throws {
        let router = try router()
        // A key of an empty slot (other tests' keys may be anywhere): it can change hands
        // without MIGRATE.
        var key = Array("\(tag()):moved".utf8)
        while try router.command(key: key, ["CLUSTER", "COUNTKEYSINSLOT", HashSlot.of(key)]).int != 0 {
            key = Array("\(tag()):moved".utf8)
        }
        let slot = HashSlot.of(key)
        let owner = try router.primary(forKey: key)
        let other = try #require(router.map.primaries.first { $0 != owner })
        let ownerConnection = try RedisConnection(url: router.url(of: owner))
        let otherConnection = try RedisConnection(url: router.url(of: other))
        func nodeID(_ connection: RedisConnection) throws -> String { try #require(connection.command("CLUSTER", "MYID").string) }
        let (ownerID, otherID) = (try nodeID(ownerConnection), try nodeID(otherConnection))
        defer {
            _ = try? otherConnection.command("CLUSTER", "SETSLOT", slot, "NODE", ownerID)
            _ = try? ownerConnection.command("CLUSTER", "SETSLOT", slot, "NODE", ownerID)
        }
        try otherConnection.command("CLUSTER", "SETSLOT", slot, "NODE", otherID)
        try ownerConnection.command("CLUSTER", "SETSLOT", slot, "NODE", otherID)

        // The router's map still names the old owner: MOVED, then the new owner.
        #expect(try router.command(key: key, ["SET", key, "1", "PX", 60_000]) == .status("OK"))
        #expect(router.redirections == 1)
        #expect(try router.primary(forKey: key) == other)
        #expect(try otherConnection.command("GET", key) == .bulk(Array("1".utf8)))
        try router.command(key: key, ["DEL", key])
    }

    @Test func aKeyAlreadyMigratedIsAskedForOnTheImportingNode() throws {
        let router = try router()
        let key = Array("\(tag()):asked".utf8)
        let slot = HashSlot.of(key)
        let owner = try router.primary(forKey: key)
        let other = try #require(router.map.primaries.first { $0 != owner })
        let ownerConnection = try RedisConnection(url: router.url(of: owner))
        let otherConnection = try RedisConnection(url: router.url(of: other))
        let ownerID = try #require(ownerConnection.command("CLUSTER", "MYID").string)
        let otherID = try #require(otherConnection.command("CLUSTER", "MYID").string)
        defer {
            _ = try? otherConnection.command("CLUSTER", "SETSLOT", slot, "STABLE")
            _ = try? ownerConnection.command("CLUSTER", "SETSLOT", slot, "STABLE")
        }
        try otherConnection.command("CLUSTER", "SETSLOT", slot, "IMPORTING", ownerID)
        try ownerConnection.command("CLUSTER", "SETSLOT", slot, "MIGRATING", otherID)

        // Not on the migrating node: ASK, and the write lands on the importing one.
        #expect(try router.command(key: key, ["SET", key, "2", "PX", 60_000]) == .status("OK"))
        #expect(router.redirections == 1)
        #expect(try router.primary(forKey: key) == owner)  // ASK leaves the map alone
        let onImporting = try otherConnection.pipeline([["ASKING"], ["GET", key]])
        #expect(onImporting[1] == .bulk(Array("2".utf8)))
        #expect(try router.command(key: key, ["DEL", key]) == .integer(1))
    }

    @Test func everyPrimaryIsWorkedAtOnce() throws {
        let router = try router()
        let outcomes = router.forEachPrimary { node, connection in
            try connection.command("CLUSTER", "MYID").string ?? "" + node.description
        }
        #expect(outcomes.count == 3)
        #expect(Set(outcomes.compactMap { try? $0.outcome.get() }).count == 3)
    }

    @Test func oneNodeIsFoundToBeAClusterNodeAndSingleNodeUseIsRefused() throws {
        let topology = RedisTopology(target: try RedisTarget(parsing: ClusterServers.url(port: 6382)), connectTimeout: 2, commandTimeout: 2)
        #expect(try topology.isCluster)
        let refused = try #require(throws: ClusterError.self) { try topology.primary() }
        #expect(refused.category == .unavailable)
        #expect(throws: ClusterError.self) { try topology.reader() }
        let forced = RedisTopology(
            target: try RedisTarget(parsing: ClusterServers.url(port: 6382)), connectTimeout: 2, commandTimeout: 2, clusterMode: .off)
        #expect(try forced.primary().command("PING") == .status("PONG"))
        let seeds = RedisTopology(target: try RedisTarget(parsing: ClusterServers.seedList), connectTimeout: 2, commandTimeout: 2)
        #expect(try seeds.cluster()?.map.primaries.count == 3)
    }

    @Test func aSeedThatIsNotAClusterNodeIsSaidSo() throws {
        let error = try #require(throws: ClusterError.self) {
            try RedisClusterRouter(seeds: [RedisURL(parsing: TestServers.redisURL)], connectTimeout: 2, commandTimeout: 2)
        }
        #expect(error.message.contains("not a cluster node"))
        let topology = RedisTopology(target: try RedisTarget(parsing: TestServers.redisURL))
        #expect(try topology.isCluster == false)
    }
}
