import Keyspace
import Redis
import Support

/// Reading the change log that `InvalidationEpochs` appends to: its position, and the
/// records between two positions.
public struct ChangeLog {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace

    public init(redis: RedisConnection, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    /// Records read per HMGET.
    static let recordsPerRead = 512

    /// The log's current position (`.none` when there is no log).
    public func position() throws -> ChangeLogPosition {
        let reply = try redis.command(["HGET", keyspace.changeLogKey, "seq"])
        return try Self.position(reply, address: redis.address)
    }

    static func position(_ reply: RedisReply, address: String) throws -> ChangeLogPosition {
        if reply.isNull { return .none }
        if let message = reply.errorMessage {
            throw RedisError(kind: .server, address: address, detail: "the change log: \(message)", serverMessage: message, command: "HGET")
        }
        guard let text = reply.string, let position = ChangeLogPosition(text) else {
            throw WWError.dataError("redis \(address): the change log's position is not id:n")
        }
        return position
    }

    /// The records appended after `start` up to now (nil when the log no longer holds
    /// them all).
    public func records(since start: ChangeLogPosition) throws -> [(Int, ChangeRecord)]? {
        try records(after: start, through: try position())
    }

    /// The records after `start` up to `end` inclusive, numbered; nil when the log no
    /// longer holds all of them (the oldest were dropped, or the log was deleted and
    /// started again), so what happened in between cannot be known.
    public func records(after start: ChangeLogPosition, through end: ChangeLogPosition) throws -> [(Int, ChangeRecord)]? {
        guard start.isContinued(by: end) else { return nil }
        let first = start.text.isEmpty ? 1 : start.count + 1
        guard first <= end.count else { return [] }
        var out: [(Int, ChangeRecord)] = []
        var from = first
        while from <= end.count {
            let to = min(end.count, from + Self.recordsPerRead - 1)
            var command: [any RedisArgument] = ["HMGET", keyspace.changeLogKey, "seq"]
            for number in from...to { command.append(String(number)) }
            let reply = try redis.command(command)
            if let message = reply.errorMessage {
                throw RedisError(kind: .server, address: redis.address, detail: "the change log: \(message)", serverMessage: message, command: "HMGET")
            }
            guard let values = reply.array, values.count == to - from + 2 else {
                throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "HMGET of the change log answered \(reply)")
            }
            // The log must still be the same one: a log deleted and created again since
            // would hold other records under the same numbers.
            guard let now = try? Self.position(values[0], address: redis.address), end.isContinued(by: now) else { return nil }
            for (offset, value) in values.dropFirst().enumerated() {
                guard let bytes = value.bytes, case .bulk = value else { return nil }
                out.append((from + offset, try ChangeRecord.decode(bytes)))
            }
            from = to + 1
        }
        return out
    }
}
