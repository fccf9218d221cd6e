import Keyspace
import Redis
import Support

/// One key as `cache export` writes it and `cache import` reads it back: a line of NDJSON.
///
/// `{"key", "keyBase64", "type", "ttlMs", "expiresAtMs", "value", "valueBase64", "dump"}`:
/// `key` for people (redis-cli's quoted form when not UTF-8), `keyBase64` the exact
/// bytes; `ttlMs` the PTTL at export (-1 none) and `expiresAtMs` the moment it expires
/// (Unix milliseconds, null without TTL); for a string, `value` is the JSON it holds, or
/// null and `valueBase64` its raw bytes; `dump` is the DUMP payload, which restores any
/// type exactly.
public struct ExportedKey: Sendable, Equatable {
    public var key: [UInt8]
    public var type: String
    public var ttlMs: Int64
    public var expiresAtMs: Int64?
    public var value: JSONValue?
    public var rawValue: [UInt8]?
    public var dump: [UInt8]

    public func json(displayKey: String) -> JSONValue {
        .object([
            ("key", .string(displayKey)),
            ("keyBase64", .string(Base64.encode(key))),
            ("type", .string(type)),
            ("ttlMs", .number(ttlMs)),
            ("expiresAtMs", expiresAtMs.map { .number($0) } ?? .null),
            ("value", value ?? .null),
            ("valueBase64", rawValue.map { .string(Base64.encode($0)) } ?? .null),
            ("dump", .string(Base64.encode(dump))),
        ])
    }

    /// A line of an export file; what is wrong names the field.
    public init(json: JSONValue) throws(WWError) {
        guard case .object = json else { throw .dataError("not a JSON object") }
        guard let keyText = json["keyBase64"]?.stringValue, let key = Base64.decode(keyText) else {
            throw .dataError("keyBase64 is missing or not base64")
        }
        guard let dumpText = json["dump"]?.stringValue, let dump = Base64.decode(dumpText), !dump.isEmpty else {
            throw .dataError("dump is missing or not base64")
        }
        self.key = key
        self.dump = dump
        type = json["type"]?.stringValue ?? "unknown"
        ttlMs = json["ttlMs"]?.intValue.map(Int64.init) ?? -1
        switch json["expiresAtMs"] {
        case nil, .null?: expiresAtMs = nil
        case let value?:
            guard let ms = value.intValue else { throw .dataError("expiresAtMs is not an integer") }
            expiresAtMs = Int64(ms)
        }
        value = nil
        rawValue = nil
    }

    public init(key: [UInt8], type: String, ttlMs: Int64, expiresAtMs: Int64?, value: JSONValue?, rawValue: [UInt8]?, dump: [UInt8]) {
        self.key = key
        self.type = type
        self.ttlMs = ttlMs
        self.expiresAtMs = expiresAtMs
        self.value = value
        self.rawValue = rawValue
        self.dump = dump
    }
}

/// `cache export`: SCAN MATCH the pattern, then per batch one pipeline of TYPE, PTTL, DUMP
/// and GET for each key; each key is handed on as soon as its batch is read (memory flat).
public struct KeyExport {
    let redis: any RedisCommandRunner

    public init(redis: any RedisCommandRunner) {
        self.redis = redis
    }

    /// Calls `onKey` for each key matching `pattern` that still exists when its batch is
    /// read; returns how many. `nowMs` gives the wall clock (Unix milliseconds).
    public func run(pattern: [UInt8], nowMs: () -> Int64, onKey: (ExportedKey) throws -> Void) throws -> Int {
        var scanner = RedisScanner(runner: redis, match: pattern, count: 1000)
        var exported = 0
        while let keys = try scanner.nextBatch() {
            if Interrupt.isRequested { throw WWError.interrupted }
            guard !keys.isEmpty else { continue }
            var commands: [[any RedisArgument]] = []
            commands.reserveCapacity(keys.count * 4)
            for key in keys {
                commands += [["TYPE", key], ["PTTL", key], ["DUMP", key], ["GET", key]]
            }
            let replies = try redis.pipeline(commands)
            let now = nowMs()
            for (i, key) in keys.enumerated() {
                let type = replies[4 * i].string ?? "none"
                guard type != "none", let ttl = replies[4 * i + 1].int, ttl != -2, let dump = replies[4 * i + 2].bytes else { continue }
                var value: JSONValue?
                var raw: [UInt8]?
                if type == "string", let bytes = replies[4 * i + 3].bytes {
                    if let parsed = try? JSONParser.parse(bytes) { value = parsed } else { raw = bytes }
                }
                try onKey(ExportedKey(
                    key: key, type: type, ttlMs: ttl, expiresAtMs: ttl >= 0 ? now + ttl : nil,
                    value: value, rawValue: raw, dump: dump))
                exported += 1
            }
        }
        return exported
    }
}

/// What `cache import` did.
public struct ImportReport: Sendable, Equatable {
    public var restored = 0
    /// Keys already present, left alone (without `--replace`).
    public var skippedExisting = 0
    /// Keys whose `expiresAtMs` had passed: not restored.
    public var skippedExpired = 0
    /// Keys of `--replace` that existed and were overwritten.
    public var replaced = 0

    public init() {}
}

/// `cache import`: RESTORE each record with its absolute expiry (ABSTTL), so the time
/// since the export counts; records whose expiry has passed are skipped.
public struct KeyImport {
    let redis: any RedisCommandRunner
    let replace: Bool

    public init(redis: any RedisCommandRunner, replace: Bool) {
        self.redis = redis
        self.replace = replace
    }

    /// Restores a batch of records in one pipeline.
    public func restore(_ records: [ExportedKey], nowMs: Int64, into report: inout ImportReport) throws {
        var commands: [[any RedisArgument]] = []
        var sent = 0
        for record in records {
            if let expires = record.expiresAtMs, expires <= nowMs {
                report.skippedExpired += 1
                continue
            }
            var command: [any RedisArgument] = ["RESTORE", record.key, String(record.expiresAtMs ?? 0), record.dump]
            if record.expiresAtMs != nil { command.append("ABSTTL") }
            if replace {
                command.append("REPLACE")
                commands.append(["EXISTS", record.key])
            }
            commands.append(command)
            sent += 1
        }
        guard !commands.isEmpty else { return }
        let replies = try redis.pipeline(commands)
        let step = replace ? 2 : 1
        for i in 0..<sent {
            let reply = replies[i * step + step - 1]
            if let message = reply.errorMessage {
                if message.hasPrefix("BUSYKEY") {
                    report.skippedExisting += 1
                    continue
                }
                throw RedisError(
                    kind: .server, address: redis.address,
                    detail: "RESTORE: \(message)", serverMessage: message, command: "RESTORE")
            }
            report.restored += 1
            if replace, replies[i * step].int == 1 { report.replaced += 1 }
        }
    }
}
