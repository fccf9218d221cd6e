import Testing
@testable import Marketplace
import Redis
import Support
import TestSupport

@Suite struct RateLimitSubjectTests {
    @Test func usersAreIntegerIds() throws {
        #expect(try RateLimitSubject(user: "7") == .user(7))
        for bad in ["", "07", "-1", "7a", "1.2.3.4", "99999999999999999999"] {
            #expect(performing: { try RateLimitSubject(user: bad) }, throws: { ($0 as? WWError)?.category == .usage })
        }
    }

    @Test func addressesAreValidatedAndIPv6IsCompressed() throws {
        #expect(try RateLimitSubject(ip: "203.0.113.9") == .ip("203.0.113.9"))
        #expect(try RateLimitSubject(ip: "2001:DB8:0:0:0:0:0:1") == .ip("2001:db8::1"))
        #expect(try RateLimitSubject(ip: "::FFFF:10.0.0.1") == .ip("::ffff:10.0.0.1"))
        #expect(try RateLimitSubject(ip: "::1") == .ip("::1"))
        #expect(try RateLimitSubject(ip: "fe80::1%eth0") == .ip("fe80::1%eth0"))
        for bad in ["", "7", "1.2.3", "1.2.3.04", "256.1.1.1", "1::2::3", "gggg::1", "localhost"] {
            #expect(performing: { try RateLimitSubject(ip: bad) }, throws: { ($0 as? WWError)?.category == .usage })
        }
    }
}

/// Counters are found by SCAN: a redis-server of their own (port 6501).
@Suite(.serialized) final class RateLimitTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6501)
        redis = try RedisConnection(server.url(database: 0))
    }

    deinit { server.stop() }

    func seed(_ counts: [String: Int]) throws {
        try redis.command(["FLUSHDB"])
        _ = try redis.pipeline(counts.map { ["SET", $0.key, $0.value, "PX", 60_000] })
    }

    func keys() throws -> Set<String> {
        var scanner = redis.scan()
        var out = Set<String>()
        try scanner.forEachKey { out.insert(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    static let neighbours = [
        "ratelimit:7:POST:/api/orders": 3,
        "ratelimit:7:GET:/api/orders/:id": 5,
        "ratelimit:7:login": 1,
        "ratelimit:70:POST:/api/orders": 9,
        "ratelimit:17:POST:/api/orders": 9,
        "ratelimit:7::1:GET:/x": 4,
        "ratelimit:2001:db8::1:GET:/x": 2,
        "ratelimit:203.0.113.9:/health": 6,
        "xratelimit:7:GET:/y": 1,
    ]

    @Test func subjectsThatShareAPrefixStaySeparate() throws {
        try seed(Self.neighbours)
        let limits = RateLimits(redis: redis, keyspace: unprefixed)
        let seven = try limits.show(subject: .user(7))
        #expect(seven.counters.map(\.endpoint) == ["GET:/api/orders/:id", "POST:/api/orders", "login"])
        #expect(seven.counters.map(\.count) == [5, 3, 1])
        #expect(seven.counters.allSatisfy { ($0.ttlMs ?? 0) > 0 && ($0.ttlMs ?? 0) <= 60_000 })
        #expect(try limits.show(subject: .user(70)).counters.map(\.key) == ["ratelimit:70:POST:/api/orders"])
        #expect(try limits.show(subject: RateLimitSubject(ip: "7::1")).counters.map(\.endpoint) == ["GET:/x"])
        #expect(try limits.show(subject: RateLimitSubject(ip: "2001:DB8::1")).counters.map(\.count) == [2])

        let reset = try limits.reset(subject: .user(7))
        #expect(reset.deleted == 3 && reset.matched == 3)
        #expect(reset.endpoints == ["GET:/api/orders/:id", "POST:/api/orders", "login"])
        #expect(try keys() == Set(Self.neighbours.keys).subtracting(
            ["ratelimit:7:POST:/api/orders", "ratelimit:7:GET:/api/orders/:id", "ratelimit:7:login"]))
    }

    @Test func oneEndpointIsResetByName() throws {
        try seed(Self.neighbours)
        let limits = RateLimits(redis: redis, keyspace: unprefixed)
        let shown = try limits.show(subject: .user(7), endpoint: "POST:/api/orders")
        #expect(shown.counters.map(\.count) == [3])
        #expect(try limits.show(subject: .user(7), endpoint: "DELETE:/nothing").counters.isEmpty)
        let dry = try limits.reset(subject: .user(7), endpoint: "POST:/api/orders", dryRun: true)
        #expect(dry.matched == 1 && dry.deleted == 0)
        #expect(try keys().contains("ratelimit:7:POST:/api/orders"))
        let reset = try limits.reset(subject: .user(7), endpoint: "POST:/api/orders")
        #expect(reset.deleted == 1 && reset.endpoints == ["POST:/api/orders"])
        #expect(try keys() == Set(Self.neighbours.keys).subtracting(["ratelimit:7:POST:/api/orders"]))
    }

    @Test func aDryRunSweepDeletesNothing() throws {
        try seed(Self.neighbours)
        let limits = RateLimits(redis: redis, keyspace: unprefixed)
        let dry = try limits.reset(subject: RateLimitSubject(ip: "203.0.113.9"), dryRun: true)
        #expect(dry.matched == 1 && dry.deleted == 0 && dry.endpoints == ["/health"])
        #expect(try keys() == Set(Self.neighbours.keys))
    }

    @Test func theKeyPrefixIsHonoured() throws {
        try seed(["app:ratelimit:7:GET:/a": 1, "ratelimit:7:GET:/a": 2])
        let limits = RateLimits(redis: redis, keyspace: keyspace("app:"))
        let shown = try limits.show(subject: .user(7))
        #expect(shown.counters.map(\.key) == ["app:ratelimit:7:GET:/a"])
        #expect(try limits.reset(subject: .user(7)).deleted == 1)
        #expect(try keys() == ["ratelimit:7:GET:/a"])
    }
}
