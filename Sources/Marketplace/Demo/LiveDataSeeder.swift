import Keyspace
import Redis
import Support

/// What `db seed-live` wrote.
public struct LiveDataReport: Sendable, Encodable {
    /// A user whose live state shows every case (several sessions, a dangling id in the
    /// list, rate-limit counters), and a token of theirs that is not blacklisted, signed
    /// with `LiveDataSeeder.jwtSecret`: what the README's tour uses.
    public struct TourUser: Sendable, Encodable {
        public var userId: Int64
        public var sessions: Int
        public var danglingIds: Int
        public var rateLimitCounters: Int
        public var token: String
    }

    public var users: Int
    public var sessions: Int
    public var sessionLists: Int
    public var danglingIds: Int
    public var blacklistedTokens: Int
    public var rateLimitCounters: Int
    public var jwtSecret: String
    public var tourUser: TourUser?
}

/// Writes the live state the app keeps only in Redis, for seeded users, exactly as the app
/// writes it, so that `sessions`, `tokens` and `ratelimit` have something to show on a demo
/// or a test database: `session:{id}` (`JSON.stringify({userId, ip, userAgent,
/// createdAt})`, 24 hours from its creation) and `user:{u}:sessions` (a JSON array of ids,
/// some of them dangling, as after a session expired), `jwt:blacklist:{token}` (the user
/// id, until the token's `exp`) for tokens signed HS256 with `jwtSecret`, and
/// `ratelimit:{subject}:{endpoint}` counters (a 60-second window) for users and IPs.
///
/// The same seed and users give the same ids, values and choices; times are relative to
/// now, since TTLs are. Only these keys are written (SET, overwriting): nothing is deleted.
public struct LiveDataSeeder {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace
    public var now: @Sendable () -> Int64

    /// The HS256 secret the demo's tokens are signed with (`tokens revoke --secret`).
    public static let jwtSecret = "wwctl-demo-secret"

    public init(redis: RedisConnection, keyspace: BoundKeyspace, now: @escaping @Sendable () -> Int64 = UnixTime.nowMilliseconds) {
        self.redis = redis
        self.keyspace = keyspace
        self.now = now
    }

    static let dayMs: Int64 = 86_400_000
    static let userAgents = [
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0", "okhttp/4.12.0", "WayWiseApp/3.4 (Android 15)",
    ]
    static let endpoints = ["POST:/api/orders", "GET:/api/products", "POST:/api/auth/login", "GET:/api/cart", "POST:/api/cart/items"]

    public func seed(userIds: [Int64], seed: UInt64) throws -> LiveDataReport {
        let started = now()
        var report = LiveDataReport(
            users: userIds.count, sessions: 0, sessionLists: 0, danglingIds: 0, blacklistedTokens: 0, rateLimitCounters: 0,
            jwtSecret: Self.jwtSecret, tourUser: nil)
        var commands: [[any RedisArgument]] = []
        var countedIPs = Set<String>()
        for userId in userIds {
            var rng = SplitMix64(state: SplitMix64.mix(seed ^ 0x6C69_7665_6461_7461 ^ UInt64(bitPattern: userId)))
            func below(_ n: UInt64) -> UInt64 { rng.next() % n }
            var ids: [String] = []
            var newest = Self.dayMs
            var ips: [String] = []
            for _ in 0...below(3) {
                let id = Self.sessionId(&rng)
                let ageMs = Int64(below(20 * 3_600_000)) + 60_000
                let ip = ["203.0.113.", "198.51.100.", "192.0.2."][Int(below(3))] + String(1 + below(254))
                let value = JSONValue.object([
                    ("userId", .number(Int(userId))), ("ip", .string(ip)),
                    ("userAgent", .string(Self.userAgents[Int(below(UInt64(Self.userAgents.count)))])),
                    ("createdAt", .string(UnixTime.iso8601(milliseconds: started - ageMs))),
                ])
                commands.append(["SET", try keyspace.key(.session, ["sessionId": id]), value.compactText, "PX", Self.dayMs - ageMs])
                ids.append(id)
                ips.append(ip)
                newest = min(newest, ageMs)
            }
            // A session that expired while its id stayed in the list, as the app leaves it.
            let dangling = below(4) == 0
            if dangling { ids.insert(Self.sessionId(&rng), at: Int(below(UInt64(ids.count + 1)))) }
            let list = JSONValue.array(ids.map(JSONValue.string))
            commands.append(["SET", try keyspace.key(.userSessions, ["userId": String(userId)]), list.compactText, "PX", Self.dayMs - newest])
            report.sessions += ids.count - (dangling ? 1 : 0)
            report.sessionLists += 1
            report.danglingIds += dangling ? 1 : 0

            // Logged out: the token stays blacklisted until it would have expired.
            if below(6) == 0 {
                let token = Self.token(userId: userId, issuedAt: started - Int64(below(3_000_000)), lifetimeMs: 3_600_000)
                commands.append(["SET", try keyspace.key(.jwtBlacklist, ["token": token.text]), String(userId), "PX", token.expiresAt - started])
                report.blacklistedTokens += 1
            }
            var counters = 0
            if below(3) == 0 {
                let first = Int(below(UInt64(Self.endpoints.count)))
                for step in 0..<Int(1 + below(3)) {
                    let endpoint = Self.endpoints[(first + step) % Self.endpoints.count]
                    commands.append(Self.counter(try keyspace.key(.rateLimit, ["subject": String(userId), "endpoint": endpoint]), &rng))
                    counters += 1
                }
                report.rateLimitCounters += counters
                // The IP's counter too, once per IP (users behind one address share it).
                if countedIPs.insert(ips[0]).inserted {
                    commands.append(Self.counter(try keyspace.key(.rateLimit, ["subject": ips[0], "endpoint": Self.endpoints[0]]), &rng))
                    report.rateLimitCounters += 1
                }
            }
            if report.tourUser == nil && ids.count >= 3 && dangling && counters > 0 {
                let token = Self.token(userId: userId, issuedAt: started, lifetimeMs: 3_600_000)
                report.tourUser = .init(userId: userId, sessions: ids.count - 1, danglingIds: 1, rateLimitCounters: counters, token: token.text)
            }
            if commands.count >= 1000 { try send(&commands) }
        }
        try send(&commands)
        return report
    }

    private func send(_ commands: inout [[any RedisArgument]]) throws {
        guard !commands.isEmpty else { return }
        let replies = try redis.pipeline(commands)
        if let failed = replies.first(where: { $0.errorMessage != nil }), let message = failed.errorMessage {
            throw RedisError(kind: .server, address: redis.address, detail: "SET: \(message)", serverMessage: message, command: "SET")
        }
        commands.removeAll(keepingCapacity: true)
    }

    /// `7f3ca19b-4e02`.
    private static func sessionId(_ rng: inout SplitMix64) -> String {
        let hex = String(rng.next(), radix: 16)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return String(digits.prefix(8)) + "-" + String(digits.dropFirst(8).prefix(4))
    }

    private static func counter(_ key: [UInt8], _ rng: inout SplitMix64) -> [any RedisArgument] {
        ["SET", key, String(1 + rng.next() % 40), "PX", Int64(1000 + rng.next() % 59_000)]
    }

    /// An HS256 JWT of `userId` as the app signs them (`sub`, `userId`, `iat`, `exp`).
    static func token(userId: Int64, issuedAt: Int64, lifetimeMs: Int64) -> (text: String, expiresAt: Int64) {
        let expiresAt = issuedAt + lifetimeMs
        let header = JSONValue.object([("alg", .string("HS256")), ("typ", .string("JWT"))])
        let claims = JSONValue.object([
            ("sub", .string(String(userId))), ("userId", .number(Int(userId))),
            ("iat", .number(Int(issuedAt / 1000))), ("exp", .number(Int(expiresAt / 1000))),
        ])
        let input = Base64URL.encode(Array(header.compactText.utf8)) + "." + Base64URL.encode(Array(claims.compactText.utf8))
        let signature = HMACSHA256.authenticationCode(for: Array(input.utf8), key: Array(jwtSecret.utf8))
        return (input + "." + Base64URL.encode(signature), expiresAt / 1000 * 1000)
    }
}
