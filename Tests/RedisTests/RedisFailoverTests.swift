import Foundation
@testable import Redis
import Support
import TestSupport
import Testing

/// What a connection behind a resolver does when its server stops being the primary, on
/// the prodlike Sentinel group's two servers. The resolver here stands in for the
/// sentinels' changing answer during a failover (the real one is exercised by the CLI
/// failover test): it names the replica first, the primary after.
@Suite struct RedisFailoverTests {
    final class MovingPrimary: RedisNodeResolver, @unchecked Sendable {
        var answers: [RedisURL]
        var asked = 0
        init(_ answers: [RedisURL]) { self.answers = answers }
        var requiresPrimary: Bool { false }
        func resolve(connectTimeout: Double, commandTimeout: Double) throws -> RedisURL {
            defer { asked += 1 }
            return answers[min(asked, answers.count - 1)]
        }
        func noteAfterFailure(of node: RedisURL) -> String {
            let next = answers[min(asked, answers.count - 1)]
            return next.endpoint == node.endpoint ? "still the primary" : "failover: now \(next.address)"
        }
        func describe(_ node: RedisURL) -> String { "test" }
    }

    @Test func aReadOnlyReplyDropsTheConnectionAndTheNextCommandFindsThePrimary() throws {
        let sentinel = try RedisConnection(url: RedisURL(endpoint: .tcp(host: "127.0.0.1", port: ProdlikeServers.sentinelPorts[0])))
        let named = try sentinel.command("SENTINEL", "get-master-addr-by-name", ProdlikeServers.sentinelMaster)
        let primaryPort = Int(try #require(named.array?[1].int))
        let replicaPort = try #require(ProdlikeServers.groupPorts.first { $0 != primaryPort })
        let primary = RedisURL(endpoint: .tcp(host: "127.0.0.1", port: primaryPort), database: 7)
        let replica = RedisURL(endpoint: .tcp(host: "127.0.0.1", port: replicaPort), database: 7)

        let resolver = MovingPrimary([replica, primary])
        let redis = try RedisConnection(url: replica, resolver: resolver, connectTimeout: 2, commandTimeout: 2)
        let key = "failover-tests:\(UUID().uuidString.prefix(8))"
        let refused = try #require(throws: RedisError.self) { try redis.command("SET", key, "1", "PX", 60_000) }
        #expect(refused.serverErrorCode == "READONLY")
        #expect(refused.category == .unavailable)
        #expect(refused.message.hasSuffix("; failover: now \(primary.address)"))
        #expect(!redis.isConnected)

        #expect(try redis.command("SET", key, "1", "PX", 60_000) == .status("OK"))
        #expect(redis.address == primary.address)
        #expect(redis.connectionsOpened == 2)
        _ = try redis.command("UNLINK", key)
    }
}
