import Foundation
import Testing
import CacheOps
import Keyspace
import Redis
import Support
import TestSupport

/// `cache inspect` and `cache keys` services, on a redis-server of their own (port 6462).
@Suite(.serialized) final class KeyInspectionTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6462)
        redis = try RedisConnection(server.url(database: 0))
        try redis.command(["FLUSHDB"])
    }

    func inspect(
        _ key: String, in keyspace: BoundKeyspace = unprefixed, maxElements: Int = 100, maxBytes: Int = 1 << 20
    ) throws -> KeyInspection? {
        try KeyInspector(redis: redis, keyspace: keyspace, maxElements: maxElements, maxBytes: maxBytes).inspect(Array(key.utf8))
    }

    @Test func stringWithTTLAndFamilyBehindAPrefix() throws {
        try redis.command(["SET", "app:product:42", #"{"id":42,"price":"19.99"}"#, "PX", "600000"])
        let found = try #require(try inspect("app:product:42", in: keyspace("app:")))
        #expect(found.type == "string")
        #expect(found.ttlMs > 0 && found.ttlMs <= 600_000)
        #expect(found.parsed.family?.name == "product")
        #expect(found.parsed.params == [KeyParam("productId", "42")])
        #expect(found.length == 25)
        #expect(found.value == .string(Array(#"{"id":42,"price":"19.99"}"#.utf8)))
        #expect(!found.truncated)
        #expect(found.memoryBytes.map { $0 > 0 } == true)
        #expect(found.canonicalKey == Array("app:product:42".utf8))
        // Without the prefix it is no family's key.
        #expect(try inspect("app:product:42")?.parsed == .unknown)
        #expect(try inspect("app:product:42")?.canonicalKey == nil)
    }

    /// The canonical key of a legacy form is under the key prefix, like the key itself.
    @Test func legacyFormBehindAPrefixNamesItsCanonicalKeyWithThePrefix() throws {
        try redis.command(["SET", "app:user:7:orgs", "[]"])
        let found = try #require(try inspect("app:user:7:orgs", in: keyspace("app:")))
        #expect(found.parsed.isLegacy)
        #expect(found.canonicalKey == Array("app:user:orgs:7".utf8))
    }

    @Test func binaryStringWithoutTTLAndTruncation() throws {
        let key: [UInt8] = Array("bin:".utf8) + [0x0A, 0xFF]
        let value: [UInt8] = [0x00, 0xFF, 0x0A] + Array(repeating: 0x41, count: 100)
        try redis.command(["SET", key, value])
        let found = try #require(try KeyInspector(redis: redis, keyspace: unprefixed, maxBytes: 10).inspect(key))
        #expect(found.ttlMs == -1)
        #expect(found.length == 103)
        #expect(found.value == .string(Array(value.prefix(10))))
        #expect(found.truncated)
        #expect(found.parsed == .unknown)
    }

    @Test func hashListSetSortedSetAndStream() throws {
        try redis.command(["HSET", "h", "a", "1", "b", "2"])
        try redis.command(["RPUSH", "l", "x", "y", "z"])
        try redis.command(["SADD", "s", "m"])
        try redis.command(["ZADD", "z", "2.5", "two", "1", "one"])
        try redis.command(["XADD", "x", "1-1", "f", "v"])

        let hash = try #require(try inspect("h"))
        #expect(hash.type == "hash")
        #expect(hash.length == 2)
        guard case .hash(let pairs) = hash.value else { Issue.record("not a hash: \(hash.value)"); return }
        #expect(Set(pairs.map { String(decoding: $0.field + [0x3D] + $0.value, as: UTF8.self) }) == ["a=1", "b=2"])

        let list = try #require(try inspect("l"))
        #expect(list.value == .list([Array("x".utf8), Array("y".utf8), Array("z".utf8)]))
        #expect(list.length == 3)

        #expect(try inspect("s")?.value == .set([Array("m".utf8)]))
        #expect(try inspect("z")?.value == .zset([.init(member: Array("one".utf8), score: "1"), .init(member: Array("two".utf8), score: "2.5")]))
        let stream = try #require(try inspect("x"))
        #expect(stream.type == "stream")
        #expect(stream.value == .stream([.init(id: "1-1", fields: [.init(field: Array("f".utf8), value: Array("v".utf8))])]))
    }

    @Test func elementsAreBounded() throws {
        _ = try redis.pipeline([
            ["RPUSH", "biglist"] + (0..<50).map { "e\($0)" as any RedisArgument },
            ["SADD", "bigset"] + (0..<500).map { "m\($0)" as any RedisArgument },
            ["HSET", "bighash"] + (0..<300).flatMap { ["f\($0)", "v"] as [any RedisArgument] },
            ["ZADD", "bigzset"] + (0..<40).flatMap { [$0, "m\($0)"] as [any RedisArgument] },
        ])
        let list = try #require(try inspect("biglist", maxElements: 7))
        #expect(list.truncated)
        #expect(list.value == .list((0..<7).map { Array("e\($0)".utf8) }))
        let set = try #require(try inspect("bigset", maxElements: 20))
        #expect(set.truncated)
        #expect(set.length == 500)
        if case .set(let members) = set.value { #expect(members.count == 20) } else { Issue.record("not a set") }
        let hash = try #require(try inspect("bighash", maxElements: 20))
        if case .hash(let pairs) = hash.value { #expect(pairs.count == 20) } else { Issue.record("not a hash") }
        #expect(hash.truncated)
        let zset = try #require(try inspect("bigzset", maxElements: 5))
        if case .zset(let members) = zset.value { #expect(members.map(\.score) == ["0", "1", "2", "3", "4"]) } else { Issue.record("not a zset") }
        let small = try #require(try inspect("biglist", maxElements: 50))
        #expect(!small.truncated)
    }

    @Test func missingKeyIsNil() throws {
        #expect(try inspect("no:such:key") == nil)
    }

    @Test func listerStreamsMatchesWithLimitAndExactTest() throws {
        try redis.command(["FLUSHDB"])
        _ = try redis.pipeline((0..<120).map { ["SET", "stock:\($0)", "1"] } + [["SET", "stock:x:y", "1"], ["SET", Array("stock:".utf8) + [0xFF], "1"]])
        var seen = Set<[UInt8]>()
        let all = try KeyLister(redis: redis, scanCount: 7).list(pattern: Array("stock:*".utf8)) { seen.insert($0) }
        #expect(all.listed >= 122)  // SCAN may repeat a key; it never misses one
        #expect(seen.count == 122)
        #expect(!all.limitReached)

        var limited = 0
        let some = try KeyLister(redis: redis, scanCount: 7).list(pattern: Array("stock:*".utf8), limit: 10) { _ in limited += 1 }
        #expect(limited == 10)
        #expect(some.limitReached)

        let selector = try unprefixed.selector(.stock)
        var exact = Set<[UInt8]>()
        _ = try KeyLister(redis: redis).list(pattern: selector.pattern, accept: { selector.matches($0) }) { exact.insert($0) }
        #expect(exact.count == 120)
        #expect(!exact.contains(Array("stock:x:y".utf8)))
    }
}
