import Foundation
import Redis
import Support
import TestSupport
import Testing

/// The Sentinel group of the prodlike servers: three sentinels watching `waywise`, a
/// primary and a replica (which is which depends on earlier failovers, so the tests ask).
@Suite struct RedisTopologyTests {
    func sentinelTopology(_ readFrom: RedisReadPreference = .primary, master: String = ProdlikeServers.sentinelMaster) throws -> RedisTopology {
        var target = try RedisTarget(parsing: ProdlikeServers.sentinelURL)
        if case .sentinel(var group) = target {
            group.masterName = master
            group.database = 7
            target = .sentinel(group)
        }
        return RedisTopology(target: target, readFrom: readFrom, connectTimeout: 2, commandTimeout: 2)
    }

    @Test func thePrimaryTheSentinelsNameIsConnectedAndIsThePrimary() throws {
        let topology = try sentinelTopology()
        defer { topology.close() }
        let primary = try topology.primary()
        #expect(ProdlikeServers.groupPorts.map { "127.0.0.1:\($0)/7" }.contains(primary.address))
        let role = try primary.command("ROLE")
        #expect(role.array?.first == .bulk(Array("master".utf8)))

        let answers = topology.surveySentinels()
        #expect(answers.map(\.address) == ProdlikeServers.sentinelPorts.map { "127.0.0.1:\($0)" })
        #expect(answers.allSatisfy { $0.ok && primary.address.hasPrefix(($0.primary ?? "?") + "/") })
    }

    @Test func readsGoToTheReplicaWithItsLag() throws {
        let topology = try sentinelTopology(.replica)
        defer { topology.close() }
        let primary = try topology.primary()
        let reader = try topology.reader()
        #expect(reader.source.role == .replica)
        #expect(reader.source.address != primary.address)
        #expect(reader.source.lagBytes.map { $0 >= 0 } == true)
        #expect(reader.source.linkStatus == "up")
        let role = try reader.connection.command("ROLE")
        #expect(role.array?.first == .bulk(Array("slave".utf8)))
        // Writes still go to the primary.
        let key = "topology-tests:\(UUID().uuidString.prefix(8))"
        try primary.command("SET", key, "1", "PX", 60_000)
        #expect(try primary.command("UNLINK", key) == .integer(1))
        let refused = try #require(throws: RedisError.self) { try reader.connection.command("SET", key, "1") }
        #expect(refused.serverErrorCode == "READONLY")
        #expect(refused.category == .unavailable)
    }

    /// Without Sentinel the primary's INFO replication lists its replicas.
    @Test func aStandalonePrimaryListsItsReplica() throws {
        let primaryAddress = try sentinelTopology().primary().url
        var standalone = primaryAddress
        standalone.database = 0
        let topology = RedisTopology(target: .standalone(standalone), readFrom: .replica, connectTimeout: 2, commandTimeout: 2)
        defer { topology.close() }
        let reader = try topology.reader()
        #expect(reader.source.role == .replica)
        #expect(reader.source.address != standalone.address)
    }

    @Test func aServerWithoutReplicasCannotServeReplicaReads() throws {
        let topology = RedisTopology(target: .standalone(try RedisURL(parsing: TestServers.redisURL)), readFrom: .replica)
        defer { topology.close() }
        let error = try #require(throws: RedisError.self) { try topology.reader() }
        #expect(error.category == .unavailable)
        #expect(error.message.contains("no replica is online"))
    }

    @Test func anUnknownMasterNameIsUnavailableNamingEverySentinel() throws {
        let topology = try sentinelTopology(master: "nosuch")
        let error = try #require(throws: RedisError.self) { try topology.primary() }
        #expect(error.category == .unavailable)
        #expect(error.message.contains("no sentinel named a primary for 'nosuch'"))
        for port in ProdlikeServers.sentinelPorts {
            #expect(error.message.contains("127.0.0.1:\(port) does not know 'nosuch'"))
        }
    }

    @Test func unreachableSentinelsAreUnavailable() throws {
        let port = try SilentListener.closedPort()
        let topology = RedisTopology(
            target: .sentinel(RedisSentinelGroup(sentinels: [.tcp(host: "127.0.0.1", port: port)], masterName: "waywise")),
            connectTimeout: 1, commandTimeout: 1)
        let error = try #require(throws: RedisError.self) { try topology.primary() }
        #expect(error.category == .unavailable)
        #expect(error.message.contains("connection refused"))
    }

    /// A demoted primary refuses writes with READONLY: the primary is elsewhere (69), not a bug (70).
    @Test func readOnlyRepliesMeanThePrimaryIsElsewhere() {
        let error = RedisError(
            kind: .server, address: "h:1/0", detail: "READONLY You can't write against a read only replica.",
            serverMessage: "READONLY You can't write against a read only replica.", command: "SET")
        #expect(error.category == .unavailable)
    }
}
