import Keyspace
import Redis

/// One key's TTL before and after `cache ttl`.
public struct KeyTTLChange: Sendable {
    public var key: [UInt8]
    public var parsed: ParsedKey
    /// PTTL before: -2 no key, -1 no TTL.
    public var previousTtlMs: Int64
    /// PTTL after (the same as before when nothing was asked to change).
    public var ttlMs: Int64
    /// Whether the server changed the key's TTL.
    public var changed: Bool

    public var exists: Bool { previousTtlMs != -2 }

    /// What the family's policy allows this key, seconds.
    public var ttlPolicySeconds: Int? { parsed.family?.ttl.seconds(for: parsed.params) }

    /// The key's TTL after the change is above its policy, or missing where the family needs one.
    public var againstPolicy: Bool {
        guard exists, let family = parsed.family else { return false }
        if ttlMs == -1 { return family.ttl.requiresTTL && ttlPolicySeconds != nil }
        guard let limit = ttlPolicySeconds else { return false }
        return ttlMs > Int64(limit) * 1000
    }
}

/// `cache ttl`: read, set or remove the TTL of named keys, in three pipelined round trips
/// (PTTL, then EXPIRE or PERSIST, then PTTL) whatever the number of keys.
public struct KeyTTLs {
    public enum Change: Sendable {
        case none
        case expire(seconds: Int)
        case persist
    }

    let redis: any RedisCommandRunner
    let keyspace: BoundKeyspace

    public init(redis: any RedisCommandRunner, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    public func apply(_ change: Change, to keys: [[UInt8]]) throws -> [KeyTTLChange] {
        let before = try redis.pipeline(keys.map { ["PTTL", $0] }).map { try ttl($0) }
        var changed = [Bool](repeating: false, count: keys.count)
        var after = before
        let commands: [[any RedisArgument]]
        switch change {
        case .none: commands = []
        case .expire(let seconds): commands = keys.map { ["EXPIRE", $0, String(seconds)] }
        case .persist: commands = keys.map { ["PERSIST", $0] }
        }
        if !commands.isEmpty {
            let replies = try redis.pipeline(commands)
            for (i, reply) in replies.enumerated() {
                if let message = reply.errorMessage {
                    throw RedisError(kind: .server, address: redis.address, detail: message, serverMessage: message)
                }
                changed[i] = reply.int == 1
            }
            after = try redis.pipeline(keys.map { ["PTTL", $0] }).map { try ttl($0) }
        }
        return keys.indices.map { i in
            KeyTTLChange(key: keys[i], parsed: keyspace.parse(keys[i]), previousTtlMs: before[i], ttlMs: after[i], changed: changed[i])
        }
    }

    private func ttl(_ reply: RedisReply) throws -> Int64 {
        if let message = reply.errorMessage {
            throw RedisError(kind: .server, address: redis.address, detail: message, serverMessage: message, command: "PTTL")
        }
        guard let value = reply.int else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "PTTL did not answer with an integer")
        }
        return value
    }
}
