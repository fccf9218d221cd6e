import Keyspace
import Redis
import Testing
import TestSupport

/// `HashSlot.of` against `CLUSTER KEYSLOT` on a real server (a redis-server with cluster
/// support, port 6452; no slots need to be assigned for the command to answer).
@Suite(.serialized) final class HashSlotServerTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6452, arguments: ["--cluster-enabled", "yes"])
        redis = try RedisConnection(server.url())
    }

    private func serverSlots(_ keys: [[UInt8]]) throws -> [Int] {
        try redis.pipeline(keys.map { ["CLUSTER", "KEYSLOT", $0] }).map { reply in
            guard let slot = reply.int else { throw KeyslotError(reply: "\(reply)") }
            return Int(slot)
        }
    }

    @Test func theSlotOfEveryKindOfKeyIsTheServers() throws {
        var random = SystemRandomNumberGenerator()
        var keys: [[UInt8]] = [[], Array("123456789".utf8), Array("{}".utf8), Array("{{}}".utf8), Array("}{a}".utf8)]
        // Binary keys of every length up to 40, some with braces at random places.
        for length in 0..<2000 {
            var key = (0..<(length % 41)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if length % 3 == 0, key.count > 4 {
                key[Int.random(in: 0..<key.count / 2, using: &random)] = UInt8(ascii: "{")
                key[Int.random(in: key.count / 2..<key.count, using: &random)] = UInt8(ascii: "}")
            }
            keys.append(key)
        }
        let space = BoundKeyspace(registry: .standard, prefix: KeyPrefix("app:"))
        keys += try [
            space.key(.perm, ["userId": "7", "orgId": "3", "resource": "product", "action": "read"]),
            space.key(.orgSearch, ["filterHash": "{x}"]),
        ]
        #expect(try serverSlots(keys) == keys.map { HashSlot.of($0) })
    }

    @Test func everyEpochHashIsInItsSlotOnTheServer() throws {
        for prefix in ["", "app:", "{app}:"] {
            let space = BoundKeyspace(registry: .standard, prefix: KeyPrefix(prefix))
            let slots = Array(0..<HashSlot.count)
            let answered = try serverSlots(slots.map { space.epochKey(slot: $0) })
            if prefix.contains("{") {
                // One slot holds every key under such a prefix, epochs included.
                #expect(Set(answered) == [HashSlot.of(Array("app".utf8))])
            } else {
                #expect(answered == slots)
            }
        }
    }
}

struct KeyslotError: Error, CustomStringConvertible {
    let reply: String
    var description: String { "CLUSTER KEYSLOT answered \(reply)" }
}
