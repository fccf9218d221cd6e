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
        let (next, elements) = try Self.parse(reply, address: runner.address)
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

    /// The cursor and the keys (as the reply holds them) of a SCAN reply, checked to be
    /// `[cursor of digits, [keys…]]`; an error reply is thrown as the server's error. For
    /// walks that send SCAN themselves (pipelined with other commands).
    public static func parse(_ reply: RedisReply, address: String) throws -> (cursor: String, keys: [RedisReply]) {
        if let message = reply.errorMessage {
            throw RedisError(kind: .server, address: address, detail: "SCAN: \(message)", serverMessage: message, command: "SCAN")
        }
        guard case .array(let parts) = reply, parts.count == 2,
              let cursor = parts[0].string, !cursor.isEmpty, cursor.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              case .array(let keys) = parts[1]
        else {
            throw RedisError(kind: .unexpectedReply, address: address, detail: "SCAN reply is not [cursor, keys]")
        }
        return (cursor, keys)
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
