import Keyspace
import Redis
import Support

/// What `tokens revoke` did.
public struct TokenRevocationResult: Sendable, Encodable {
    /// Whether a blacklist entry was written (false for a token that has already expired:
    /// the app refuses it anyway, so it needs no entry).
    public var blacklisted: Bool
    /// The entry's TTL in whole seconds, rounded up (0 when nothing was written).
    public var ttlSeconds: Int64
    public var ttlMs: Int64
    /// The value written: the token's user as cache-manager stores it (a number or a string).
    public var userId: JSONValue?
    /// The token's `exp` as ISO-8601.
    public var expiresAt: String
    /// Why nothing was written (`expired`), or nil.
    public var reason: String?
    /// Whether an entry already existed (it was overwritten with the same deadline).
    public var alreadyBlacklisted: Bool
    /// Whether the HS256 signature was checked with a secret first.
    public var signatureVerified: Bool
    /// The token, redacted (see `JSONWebToken.redacted`).
    public var token: String
}

/// What `tokens check` found.
public struct TokenCheckResult: Sendable, Encodable {
    /// Not expired and not blacklisted.
    public var valid: Bool
    public var revoked: Bool
    public var expired: Bool
    public var expiresAt: String
    /// `ok`, `revoked` or `expired` (a token both expired and still blacklisted is `expired`:
    /// its entry is about to go).
    public var reason: String
    public var userId: JSONValue?
    /// The blacklist entry's remaining TTL, or nil when there is none.
    public var blacklistTtlMs: Int64?
    public var signatureVerified: Bool
    public var token: String
}

/// The JWT blacklist the app consults on every request: `jwt:blacklist:{token}` holding the
/// user id, living exactly as long as the token would (docs/KEYSPACE.md).
public struct TokenBlacklist {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace
    /// The clock expiries are measured against (Unix milliseconds), like the app's `Date.now()`.
    public var now: @Sendable () -> Int64

    public init(redis: RedisConnection, keyspace: BoundKeyspace, now: @escaping @Sendable () -> Int64 = UnixTime.nowMilliseconds) {
        self.redis = redis
        self.keyspace = keyspace
        self.now = now
    }

    /// The blacklist key of `token`.
    public func key(for token: JSONWebToken) throws -> [UInt8] {
        try keyspace.key(.jwtBlacklist, ["token": token.text])
    }

    /// Blacklists `token` until its `exp`: `SET key userId PX (exp − now)`, the remaining
    /// life measured like the app does. An expired token is reported and nothing is written.
    /// The user is the token's subject (see `TokenSubject`); `user` supplies it for a token
    /// that names none, and must agree with it otherwise. `secret`, when given, is checked
    /// first (HS256 only).
    public func revoke(_ token: JSONWebToken, user: Int64? = nil, secret: [UInt8]? = nil) throws -> TokenRevocationResult {
        if let secret { try token.verifyHS256(secret: secret) }
        let key = try key(for: token)
        let remaining = token.expiresAtMs - now()
        var result = TokenRevocationResult(
            blacklisted: false, ttlSeconds: 0, ttlMs: 0, userId: nil,
            expiresAt: UnixTime.iso8601(milliseconds: token.expiresAtMs), reason: nil,
            alreadyBlacklisted: false, signatureVerified: secret != nil, token: token.redacted)
        guard remaining > 0 else {
            // Nothing is written, so the user is only reported, never required.
            result.userId = (try? Self.subject(of: token, user: user))?.json
            result.reason = "expired"
            result.alreadyBlacklisted = try redis.command(["EXISTS", key]).int == 1
            return result
        }
        let subject = try Self.subject(of: token, user: user)
        result.userId = subject.json
        let replies = try redis.pipeline([
            ["EXISTS", key],
            ["SET", key, subject.cacheValue, "PX", remaining],
        ])
        if let message = replies[1].errorMessage {
            throw RedisError(kind: .server, address: redis.address, detail: "SET jwt blacklist entry: \(message)", serverMessage: message, command: "SET")
        }
        result.blacklisted = true
        result.alreadyBlacklisted = replies[0].int == 1
        result.ttlMs = remaining
        result.ttlSeconds = (remaining + 999) / 1000
        return result
    }

    /// Whether `token` is usable: not expired by its `exp` and not blacklisted.
    public func check(_ token: JSONWebToken, secret: [UInt8]? = nil) throws -> TokenCheckResult {
        if let secret { try token.verifyHS256(secret: secret) }
        let ttl = try redis.command(["PTTL", try key(for: token)]).int ?? -2
        let revoked = ttl != -2
        let expired = token.expiresAtMs <= now()
        return TokenCheckResult(
            valid: !revoked && !expired, revoked: revoked, expired: expired,
            expiresAt: UnixTime.iso8601(milliseconds: token.expiresAtMs),
            reason: expired ? "expired" : revoked ? "revoked" : "ok",
            userId: token.subject?.json, blacklistTtlMs: revoked ? ttl : nil,
            signatureVerified: secret != nil, token: token.redacted)
    }

    static func subject(of token: JSONWebToken, user: Int64?) throws(TokenError) -> TokenSubject {
        switch (token.subject, user) {
        case (let subject?, nil):
            return subject
        case (nil, let user?):
            return .id(user)
        case (let subject?, let user?):
            guard subject == .id(user) else {
                throw TokenError(.noSubject, token: token.redacted, "the token names user \(subject), not \(user)")
            }
            return subject
        case (nil, nil):
            throw TokenError(
                .noSubject, token: token.redacted,
                "no user in the claims (\(TokenSubject.claimNames.joined(separator: ", "))); give it with --user")
        }
    }
}
