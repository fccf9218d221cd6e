import Keyspace
import Redis
import Support

/// One entry of the server's slow log, with the family of each key argument.
public struct SlowLogEntry: Sendable {
    public struct KeyArgument: Sendable {
        /// The key as logged (the server shortens arguments longer than 128 bytes).
        public let key: [UInt8]
        /// The key's family, nil when it has none.
        public let family: String?
        /// `family`, `legacy`, `forbidden`, `internal` or `unknown`.
        public let kind: String
    }

    public let id: Int64
    /// When the command ran, seconds since the epoch.
    public let time: Int64
    public let durationMicros: Int64
    /// The command and its arguments as logged (at most 32, each at most 128 bytes).
    public let arguments: [[UInt8]]
    public let client: String?
    public let clientName: String?
    public let keys: [KeyArgument]

    /// The command name in upper case.
    public var command: String {
        arguments.first.map { String(decoding: $0, as: UTF8.self).uppercased() } ?? ""
    }
}

/// `SLOWLOG GET` and `SLOWLOG RESET`, with key arguments found by `KeyArguments` and
/// classified by the registry.
public struct SlowLog {
    let redis: any RedisCommandRunner
    let keyspace: BoundKeyspace

    public init(redis: any RedisCommandRunner, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    /// The slow log's length and its newest `limit` entries, newest first.
    public func read(limit: Int) throws -> (length: Int64, entries: [SlowLogEntry]) {
        let length = try redis.command("SLOWLOG", "LEN").int ?? 0
        guard let rows = try redis.command("SLOWLOG", "GET", String(limit)).array else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "SLOWLOG GET did not answer with an array")
        }
        let positions = KeyArguments(redis: redis)
        let entries = rows.compactMap { row -> SlowLogEntry? in
            guard let fields = row.array, fields.count >= 4, let id = fields[0].int, let time = fields[1].int,
                  let micros = fields[2].int, let args = fields[3].array else { return nil }
            let arguments = args.compactMap(\.bytes)
            let keys = positions.keys(of: arguments).map { key in
                let parsed = keyspace.parse(key)
                return SlowLogEntry.KeyArgument(key: key, family: parsed.family?.name, kind: parsed.kindName)
            }
            return SlowLogEntry(
                id: id, time: time, durationMicros: micros, arguments: arguments,
                client: fields.count > 4 ? fields[4].string : nil,
                clientName: fields.count > 5 ? fields[5].string.flatMap { $0.isEmpty ? nil : $0 } : nil,
                keys: keys)
        }
        return (length, entries)
    }

    /// Empties the slow log.
    public func reset() throws {
        try redis.command("SLOWLOG", "RESET")
    }
}

extension ParsedKey {
    /// `family`, `legacy`, `forbidden`, `internal` or `unknown`, as the diagnostics print it.
    var kindName: String {
        switch self {
        case .family: "family"
        case .legacy: "legacy"
        case .forbidden: "forbidden"
        case .internal: "internal"
        case .unknown: "unknown"
        }
    }
}
