import Keyspace
import Redis
import Support
import Testing
import TestSupport

/// `Glob.scanMatches` against the server's own `SCAN … MATCH`, on a redis-server of the
/// suite's own (port 6420, in this module's range 6420-6429).
@Suite(.serialized) final class RedisGlobTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6420)
        redis = try RedisConnection(server.url(database: 0))
    }

    /// Loads `keys` into an empty database and checks, for every pattern, that SCAN MATCH
    /// returns exactly the keys `Glob.scanMatches` accepts.
    func compare(keys: Set<[UInt8]>, patterns: [[UInt8]]) throws {
        try redis.command(["FLUSHDB"])
        let replies = try redis.pipeline(keys.map { ["SET", $0, "1"] as [any RedisArgument] })
        #expect(replies.allSatisfy { $0 == .status("OK") })
        #expect(try redis.command(["DBSIZE"]).int == Int64(keys.count))
        for pattern in patterns {
            var scanner = redis.scan(match: pattern)
            var server = Set<[UInt8]>()
            try scanner.forEachKey { server.insert($0) }
            let ours = Set(keys.filter { Glob.scanMatches(pattern: pattern, key: $0) })
            #expect(server == ours, "pattern \(String(decoding: pattern, as: UTF8.self).debugDescription)")
        }
    }

    @Test func globCaseTableAgreesWithRedis() throws {
        // Each table row's key, plus the empty key to expose SCAN's "*" shortcut.
        let keys = Set(globCases.map { Array($0.1.utf8) } + [[]])
        let patterns = globCases.map { Array($0.0.utf8) }
        try compare(keys: keys, patterns: patterns)
        // And the table's own verdicts are Redis's (stringmatchlen, without the shortcut).
        for (pattern, key, expected) in globCases where !(pattern == "*" && key.isEmpty) {
            #expect(Glob.scanMatches(pattern: pattern, key: key) == expected)
        }
    }

    @Test func familyPatternsAgreeWithRedis() throws {
        var keys = Set<[UInt8]>()
        for (name, samples) in sampleParams {
            guard let family = KeyspaceRegistry.family(named: name) else { continue }
            for params in samples {
                keys.insert(try unprefixed.key(family, params))
                keys.insert(try keyspace("my*app:").key(family, params))
            }
        }
        for decoy in ["perm:420:1:product:read", "perm:4:1:product:read", "product:[1]", "product:1", "product:\\1",
                      "org:42:members", "org:search:x", "commission:9:20.00", "ratelimit:::12:GET:/x"] {
            keys.insert(Array(decoy.utf8))
        }
        keys.insert(Array("session:".utf8) + [0xFF, 0x0A, 0x00])
        var patterns: [[UInt8]] = []
        for family in KeyspaceRegistry.standard.families {
            patterns.append(try unprefixed.selector(family).pattern)
            patterns.append(try keyspace("my*app:").selector(family).pattern)
        }
        patterns.append(try unprefixed.selector(.product, params: ["productId": "[1]"]).pattern)
        patterns.append(try unprefixed.selector(.perm, params: ["userId": "42"]).pattern)
        patterns.append(try unprefixed.selector(.session, params: ["sessionId": "a\\b"]).pattern)
        patterns.append(try unprefixed.selector(.rateLimit, params: ["subject": "::1"]).pattern)
        try compare(keys: keys, patterns: patterns)
    }

    @Test func fuzzedPatternsAgreeWithRedis() throws {
        var random = SplitMix64(state: 0x5EED_0004)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let alphabet: [UInt8] = Array("ab:*?[]\\^-".utf8) + [0xFF, 0x00]
        func word(_ maxLength: Int, from letters: [UInt8]) -> [UInt8] {
            (0..<below(maxLength + 1)).map { _ in letters[below(letters.count)] }
        }
        var keys = Set<[UInt8]>()
        while keys.count < 400 { keys.insert(word(7, from: alphabet)) }
        var patterns: [[UInt8]] = []
        for _ in 0..<1500 { patterns.append(word(8, from: alphabet)) }
        // Escaped keys must select exactly themselves.
        for key in keys.prefix(40) { patterns.append(Glob.escape(bytes: key)) }
        try compare(keys: keys, patterns: patterns)
    }
}
