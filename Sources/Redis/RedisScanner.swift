/// Walks the keyspace with `SCAN` until the server hands back cursor 0.
///
/// SCAN guarantees that every key present for the whole walk is returned at least once.
/// It does **not** promise more: a key may be returned several times (when the server
/// rehashes between calls), keys added or removed during the walk may or may not appear,
/// and a batch may be empty while the walk is not over (MATCH and TYPE filter after the
/// server has picked the batch). Callers that need each key once deduplicate.
///
/// The cursor is stateless on the server, so a walk survives a reconnect of its runner.
public struct RedisScanner {
    public let match: [UInt8]?
    /// The COUNT hint: how much work the server does per call, not how many keys come back.
    public let count: Int
    public let type: String?
    /// The cursor for the next call: `"0"` before the first and after the last.
    public private(set) var cursor = "0"
    /// How many SCAN calls have been made.
    public private(set) var roundTrips = 0
    /// True once the server has returned cursor 0.
    public private(set) var isFinished = false

    private let runner: any RedisCommandRunner

    public init(runner: any RedisCommandRunner, match: [UInt8]? = nil, count: Int = 1000, type: String? = nil) {
        self.runner = runner
        self.match = match
        self.count = count
        self.type = type
    }

    /// The keys of the next SCAN call (possibly none), or nil when the walk is over.
    public mutating func nextBatch() throws -> [[UInt8]]? {
        guard !isFinished else { return nil }
        guard count > 0 else {
            throw RedisError(kind: .invalidRequest, address: runner.address, detail: "SCAN count must be at least 1")
        }
        var args: [any RedisArgument] = ["SCAN", cursor]
        if let match { args += ["MATCH", match] }
        args += ["COUNT", count]
        if let type { args += ["TYPE", type] }
        let reply = try runner.command(args)
        roundTrips += 1
        guard case .array(let parts) = reply, parts.count == 2,
              let next = parts[0].string, !next.isEmpty, next.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              case .array(let elements) = parts[1]
        else {
            throw RedisError(kind: .unexpectedReply, address: runner.address, detail: "SCAN reply is not [cursor, keys]")
        }
        var keys: [[UInt8]] = []
        keys.reserveCapacity(elements.count)
        for element in elements {
            guard case .bulk(let key) = element else {
                throw RedisError(kind: .unexpectedReply, address: runner.address, detail: "SCAN returned a key that is not a bulk string")
            }
            keys.append(key)
        }
        cursor = next
        isFinished = next == "0"
        return keys
    }

    /// Calls `body` for every key of the rest of the walk (repeats included, see above).
    public mutating func forEachKey(_ body: ([UInt8]) throws -> Void) throws {
        while let batch = try nextBatch() {
            for key in batch { try body(key) }
        }
    }
}

extension RedisConnection {
    /// A SCAN walk over this connection's database. `match` is a glob pattern in bytes
    /// (keys are binary); `type` filters by value type (`string`, `hash`, …).
    public func scan(match: [UInt8]? = nil, count: Int = 1000, type: String? = nil) -> RedisScanner {
        RedisScanner(runner: self, match: match, count: count, type: type)
    }
}
