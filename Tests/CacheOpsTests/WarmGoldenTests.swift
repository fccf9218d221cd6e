import Foundation
import Testing
import CacheOps
import Keyspace
import Redis
import Support
import TestSupport

/// A whole warm of the tiny seed writes exactly the recorded bytes (`WarmGoldenValues`):
/// every family's key count and the digest of its keys, TTLs and values, and the selected
/// keys in full. With a key prefix, the keys after the prefix are the same. Own
/// redis-server (port 6476), the shared tiny seed.
@Suite(.serialized) final class WarmGoldenTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6476)
        redis = try RedisConnection(server.url())
    }

    @Test(arguments: ["", "app:"])
    func aWarmWritesTheRecordedBytes(prefix: String) throws {
        try redis.command(["FLUSHALL"])
        try warm(try WarmFixture.database(), redisURL: server.url(), WarmOptions(), prefix: prefix)
        var byFamily: [String: [(key: String, ttl: Int, value: String)]] = [:]
        for (name, stored) in try storedKeys(redis) {
            guard name.hasPrefix(prefix), case .family(let family, _) = keyspace(prefix).parse(name)
            else {
                Issue.record("\(name) is not a key of any family under '\(prefix)'")
                continue
            }
            // The policy's TTL: every policy is whole minutes, and the keys were written
            // less than a minute ago.
            let ttl = Int((stored.pttl + 59_999) / 60_000) * 60
            byFamily[family.name, default: []].append((String(name.dropFirst(prefix.count)), ttl, stored.value))
        }
        #expect(Set(byFamily.keys) == Set(warmGoldenDigests.keys))

        for (family, recorded) in warmGoldenDigests {
            let lines = (byFamily[family] ?? []).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            var text: [UInt8] = []
            for line in lines { text += Array("\(line.key)\t\(line.ttl)\t\(line.value)\n".utf8) }
            let digest = SHA256.digest(of: text).map { String(format: "%02x", $0) }.joined()
            #expect(lines.count == recorded.keys, "\(family): \(lines.count) keys")
            #expect(digest == recorded.sha256, "\(family): (\(lines.count), \"\(digest)\")")
        }

        let stored = try storedKeys(redis)
        for expected in warmGoldenKeys {
            let got = stored[prefix + expected.key]
            #expect(got?.value == expected.value, "\(expected.key)")
            let full = Int64(expected.ttl) * 1000
            #expect(got.map { $0.pttl <= full && $0.pttl > full - 60_000 } == true, "\(expected.key): PTTL \(got?.pttl ?? -2)")
        }
    }
}
