import Keyspace
import Redis
import Support

/// One key as `cache inspect` shows it: type, TTL, size, what the registry says it is,
/// and its value, bounded.
public struct KeyInspection: Sendable {
    public enum Value: Sendable, Equatable {
        /// A string's bytes (the first `maxBytes` of them when `truncated`).
        case string([UInt8])
        case hash([Pair])
        case list([[UInt8]])
        case set([[UInt8]])
        /// Members in score order with the score as the server prints it.
        case zset([ScoredMember])
        case stream([StreamEntry])
        /// A type wwctl cannot read (a module's).
        case unreadable
    }

    public struct Pair: Sendable, Equatable {
        public var field: [UInt8]
        public var value: [UInt8]

        public init(field: [UInt8], value: [UInt8]) {
            self.field = field
            self.value = value
        }
    }

    public struct ScoredMember: Sendable, Equatable {
        public var member: [UInt8]
        public var score: String

        public init(member: [UInt8], score: String) {
            self.member = member
            self.score = score
        }
    }

    public struct StreamEntry: Sendable, Equatable {
        public var id: String
        public var fields: [Pair]

        public init(id: String, fields: [Pair]) {
            self.id = id
            self.fields = fields
        }
    }

    public var key: [UInt8]
    /// TYPE: `string`, `hash`, `list`, `set`, `zset`, `stream`, or a module's type name.
    public var type: String
    /// PTTL: milliseconds left, -1 when the key has no TTL.
    public var ttlMs: Int64
    /// What the registry makes of the key (with the key prefix).
    public var parsed: ParsedKey
    /// The canonical key of a family or legacy key, with the key prefix; nil for others.
    public var canonicalKey: [UInt8]?
    /// STRLEN for strings (bytes), else the number of elements (HLEN, LLEN, SCARD, ZCARD, XLEN).
    public var length: Int?
    /// MEMORY USAGE in bytes; nil where the server refuses the command.
    public var memoryBytes: Int?
    public var value: Value
    /// Whether `value` holds less than the whole (`maxBytes` of a string, `maxElements`
    /// elements of the others).
    public var truncated: Bool
}

/// Reads one key for `cache inspect` in two or three round trips, never more than
/// `maxElements` elements or `maxBytes` of a string.
public struct KeyInspector {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace
    public var maxElements: Int
    public var maxBytes: Int

    public init(redis: RedisConnection, keyspace: BoundKeyspace, maxElements: Int = 100, maxBytes: Int = 1 << 20) {
        self.redis = redis
        self.keyspace = keyspace
        self.maxElements = max(1, maxElements)
        self.maxBytes = max(1, maxBytes)
    }

    /// The key, or nil when it does not exist.
    public func inspect(_ key: [UInt8]) throws -> KeyInspection? {
        let head = try redis.pipeline([["TYPE", key], ["PTTL", key], ["MEMORY", "USAGE", key]])
        try Self.check(head[0], "TYPE", redis)
        try Self.check(head[1], "PTTL", redis)
        guard let type = head[0].string, type != "none" else { return nil }
        let ttl = head[1].int ?? -1
        if ttl == -2 { return nil }  // expired between the two commands
        let parsed = keyspace.parse(key)
        var inspection = KeyInspection(
            key: key, type: type, ttlMs: ttl, parsed: parsed, canonicalKey: keyspace.canonicalKey(of: parsed),
            length: nil, memoryBytes: head[2].int.map(Int.init), value: .unreadable, truncated: false)
        let limit = maxElements
        switch type {
        case "string":
            let replies = try redis.pipeline([["STRLEN", key], ["GETRANGE", key, 0, maxBytes - 1]])
            try Self.check(replies[0], "STRLEN", redis)
            try Self.check(replies[1], "GETRANGE", redis)
            let length = Int(replies[0].int ?? 0)
            inspection.length = length
            inspection.value = .string(replies[1].bytes ?? [])
            inspection.truncated = length > maxBytes
        case "list":
            let replies = try redis.pipeline([["LLEN", key], ["LRANGE", key, 0, limit - 1]])
            try Self.check(replies[0], "LLEN", redis)
            try Self.check(replies[1], "LRANGE", redis)
            inspection.length = replies[0].int.map(Int.init)
            inspection.value = .list(try Self.bulkItems(replies[1], redis))
        case "zset":
            let replies = try redis.pipeline([["ZCARD", key], ["ZRANGE", key, 0, limit - 1, "WITHSCORES"]])
            try Self.check(replies[0], "ZCARD", redis)
            try Self.check(replies[1], "ZRANGE", redis)
            inspection.length = replies[0].int.map(Int.init)
            let flat = try Self.bulkItems(replies[1], redis)
            inspection.value = .zset(stride(from: 0, to: flat.count - 1, by: 2).map {
                .init(member: flat[$0], score: String(decoding: flat[$0 + 1], as: UTF8.self))
            })
        case "hash":
            inspection.length = try count("HLEN", key)
            let flat = try scanElements("HSCAN", key, limit: limit * 2)
            inspection.value = .hash(stride(from: 0, to: flat.count - 1, by: 2).map { .init(field: flat[$0], value: flat[$0 + 1]) })
        case "set":
            inspection.length = try count("SCARD", key)
            inspection.value = .set(try scanElements("SSCAN", key, limit: limit))
        case "stream":
            let replies = try redis.pipeline([["XLEN", key], ["XRANGE", key, "-", "+", "COUNT", limit]])
            try Self.check(replies[0], "XLEN", redis)
            try Self.check(replies[1], "XRANGE", redis)
            inspection.length = replies[0].int.map(Int.init)
            inspection.value = .stream((replies[1].array ?? []).compactMap { entry in
                guard let parts = entry.array, parts.count == 2, let id = parts[0].string else { return nil }
                let flat = (parts[1].array ?? []).compactMap(\.bytes)
                return .init(id: id, fields: stride(from: 0, to: flat.count - 1, by: 2).map { .init(field: flat[$0], value: flat[$0 + 1]) })
            })
        default:
            break
        }
        if let length = inspection.length, type != "string" {
            inspection.truncated = length > limit
        }
        return inspection
    }

    private func count(_ command: String, _ key: [UInt8]) throws -> Int? {
        let reply = try redis.command([command, key])
        return reply.int.map(Int.init)
    }

    /// HSCAN / SSCAN until `limit` items (fields and values count one each) or the end.
    private func scanElements(_ command: String, _ key: [UInt8], limit: Int) throws -> [[UInt8]] {
        var items: [[UInt8]] = []
        var cursor = "0"
        repeat {
            let reply = try redis.command([command, key, cursor, "COUNT", 100])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "\(command) reply is not [cursor, items]")
            }
            items += try Self.bulkItems(parts[1], redis)
            cursor = next
        } while cursor != "0" && items.count < limit
        return Array(items.prefix(limit))
    }

    private static func bulkItems(_ reply: RedisReply, _ redis: RedisConnection) throws -> [[UInt8]] {
        guard let items = reply.array else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "expected an array reply")
        }
        return items.compactMap(\.bytes)
    }

    private static func check(_ reply: RedisReply, _ command: String, _ redis: RedisConnection) throws {
        if case .error(let message) = reply {
            throw RedisError(kind: .server, address: redis.address, detail: "\(command): \(message)", serverMessage: message, command: command)
        }
    }
}

/// `cache keys`: the keys a pattern matches, handed out as SCAN finds them.
public struct KeyLister {
    public let redis: RedisConnection
    public var scanCount: Int

    public init(redis: RedisConnection, scanCount: Int = 10_000) {
        self.redis = redis
        self.scanCount = scanCount
    }

    public struct Outcome: Sendable, Equatable {
        /// Keys handed to `body`.
        public var listed: Int
        /// Keys SCAN returned (before the exact test and the limit).
        public var scanned: Int
        /// The walk stopped early: at the limit, or Ctrl-C (`interrupted`).
        public var limitReached: Bool
        public var interrupted: Bool

        public init(listed: Int = 0, scanned: Int = 0, limitReached: Bool = false, interrupted: Bool = false) {
            self.listed = listed
            self.scanned = scanned
            self.limitReached = limitReached
            self.interrupted = interrupted
        }
    }

    /// Walks `pattern`, calling `body` for each key that `accept` takes, at most `limit`.
    /// A key may come twice if the server rehashes during the walk (SCAN's guarantee is
    /// only that a key present throughout comes at least once). Ctrl-C stops between batches.
    public func list(
        pattern: [UInt8], limit: Int? = nil, accept: ([UInt8]) -> Bool = { _ in true }, body: ([UInt8]) throws -> Void
    ) throws -> Outcome {
        var outcome = Outcome(listed: 0, scanned: 0, limitReached: false, interrupted: false)
        if let limit, limit <= 0 {
            outcome.limitReached = true
            return outcome
        }
        var scanner = redis.scan(match: pattern, count: scanCount)
        while let batch = try scanner.nextBatch() {
            for key in batch {
                outcome.scanned += 1
                guard Glob.scanMatches(pattern: pattern, key: key), accept(key) else { continue }
                try body(key)
                outcome.listed += 1
                if let limit, outcome.listed >= limit {
                    outcome.limitReached = true
                    return outcome
                }
            }
            if Interrupt.isRequested {
                outcome.interrupted = !scanner.isFinished
                return outcome
            }
        }
        return outcome
    }
}
