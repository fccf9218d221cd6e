import Redis
import Support
import Testing

/// Keys and values go out as argument vectors with explicit lengths and come back as
/// bytes: NUL, CR, LF and 0xFF survive in both, through plain commands, pipelines and SCAN.
@Suite struct RedisBinaryTests {
    static let awkward: [UInt8] = [0x00, 0x0A, 0x0D, 0x0A, 0xFF, 0x20, 0x24, 0x2A, 0x00]

    @Test func binaryKeysAndValuesRoundTrip() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("binary")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let key = Array(prefix.utf8) + Self.awkward
        let value = Array(0...255) + Self.awkward
        #expect(try redis.command("SET", key, value) == .status("OK"))
        #expect(try redis.command("GET", key) == .bulk(value))
        #expect(try redis.command("STRLEN", key) == .integer(Int64(value.count)))
        // A NUL inside the key is part of it: the key cut at its first NUL does not exist.
        let cut = Array(prefix.utf8)
        #expect(try redis.command("EXISTS", cut) == .integer(0))
        #expect(try redis.command("EXISTS", key) == .integer(1))

        var scanner = redis.scan(match: Array((prefix + "*").utf8))
        var found: [[UInt8]] = []
        try scanner.forEachKey { found.append($0) }
        #expect(found == [key])
    }

    @Test func binaryFieldsInAPipeline() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("binary-pipeline")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let key = Array(prefix.utf8) + [0xFF]
        let fields: [[UInt8]] = [[], [0x00], [0x0A], [0xFF, 0xFE], Self.awkward]
        let replies = try redis.pipeline(
            fields.enumerated().map { index, field in ["HSET", key, field, Array(Self.awkward.prefix(index))] }
                + fields.map { ["HGET", key, $0] })
        #expect(replies.prefix(fields.count).allSatisfy { $0 == .integer(1) })
        #expect(Array(replies.suffix(fields.count)) == fields.indices.map { .bulk(Array(Self.awkward.prefix($0))) })
    }

    @Test func emptyAndLargeValuesAndArgumentTypes() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("binary-sizes")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        try redis.command("SET", prefix + "empty", "")
        #expect(try redis.command("GET", prefix + "empty") == .bulk([]))
        let large = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try redis.command("SET", prefix + "large", large)
        #expect(try redis.command("GET", prefix + "large") == .bulk(large))
        try redis.command("SET", prefix + "price", ExactDecimal(coefficient: 1990, scale: 2))
        #expect(try redis.command("GET", prefix + "price").string == "19.90")
        try redis.command("SET", prefix + "max", UInt64.max)
        #expect(try redis.command("GET", prefix + "max").string == "18446744073709551615")
        try redis.command("SET", prefix[...] + "sub", Int64.min)
        #expect(try redis.command("GET", prefix + "sub").int == .min)
    }
}
