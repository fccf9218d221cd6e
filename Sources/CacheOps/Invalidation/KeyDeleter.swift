import Redis
import Support

/// Deletes keys by name: pipelined UNLINK (DEL on servers older than 4.0), many keys per
/// command, in bounded batches. The count is what the server reports deleted, so a key
/// named twice or already gone is not counted. `existing` is the dry run's question.
public struct KeyDeleter {
    public let redis: RedisConnection
    /// Keys per UNLINK command.
    public var keysPerCommand: Int
    /// Commands per pipelined round trip.
    public var commandsPerRoundTrip: Int

    public init(redis: RedisConnection, keysPerCommand: Int = 500, commandsPerRoundTrip: Int = 16) {
        self.redis = redis
        self.keysPerCommand = keysPerCommand
        self.commandsPerRoundTrip = commandsPerRoundTrip
    }

    /// Deletes `keys`; returns how many existed.
    @discardableResult
    public func delete<Key: RedisArgument>(_ keys: [Key]) throws -> Int {
        guard !keys.isEmpty else { return 0 }
        var deleted = 0
        var verb = "UNLINK"
        var start = 0
        while start < keys.count {
            let chunk = Array(keys[start..<min(keys.count, start + keysPerCommand * commandsPerRoundTrip)])
            var commands: [[any RedisArgument]] = []
            var offset = 0
            while offset < chunk.count {
                let end = min(chunk.count, offset + keysPerCommand)
                commands.append([verb] + chunk[offset..<end].map { $0 as any RedisArgument })
                offset = end
            }
            let replies = try redis.pipeline(commands)
            if let message = replies.first?.errorMessage, UnlinkSupport.isUnknownCommand(message), verb == "UNLINK" {
                verb = "DEL"
                continue  // the same chunk again, with DEL
            }
            for reply in replies {
                if case .error(let message) = reply {
                    throw RedisError(kind: .server, address: redis.address, detail: "\(verb): \(message)", serverMessage: message, command: verb)
                }
                deleted += Int(reply.int ?? 0)
            }
            start += chunk.count
        }
        return deleted
    }
}

extension KeyDeleter {
    /// The keys of `keys` that exist, in order: one EXISTS each, pipelined, as many per
    /// round trip as `delete` sends keys. Throws on an error reply, as `delete` does.
    public func existing<Key: RedisArgument>(_ keys: [Key]) throws -> [Key] {
        guard !keys.isEmpty else { return [] }
        var found: [Key] = []
        try redis.pipelined(keys.lazy.map { ["EXISTS", $0] as [any RedisArgument] }, batchSize: Swift.max(1, keysPerCommand * commandsPerRoundTrip)) { index, reply in
            if case .error(let message) = reply {
                throw RedisError(kind: .server, address: redis.address, detail: "EXISTS: \(message)", serverMessage: message, command: "EXISTS")
            }
            if reply.int == 1 { found.append(keys[index]) }
        }
        return found
    }
}

/// UNLINK frees values in the background (Redis ≥ 4.0); older servers only have DEL.
enum UnlinkSupport {
    static func isUnknownCommand(_ message: String) -> Bool {
        message.hasPrefix("ERR unknown command")
    }
}
