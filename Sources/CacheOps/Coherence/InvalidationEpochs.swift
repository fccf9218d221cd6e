import Keyspace
import Redis
import Support

/// The invalidation epochs: what every wwctl invalidation does *before* it deletes, so
/// that a concurrent `cache warm` never writes back a value it read before the change
/// (the guarantee and its proof are in docs/ARCHITECTURE.md, "Fine-grained epochs").
///
/// Two records, written in one round trip:
///
/// - **per hash slot** (`{prefix}wwctl:epochs:{tag}`, one hash per slot, a field per
///   family): the counters of the slots of the keys deleted by name, or of every slot
///   for a family-wide invalidation (a `--family` without parameters, a pattern, a
///   sweep). Each hash is in the slot it guards, so a warm can check a key's epoch and
///   write the key atomically on the node that owns both (`EpochScripts.writeIfSlotsUnchanged`).
///   Only fields a warm guarded per slot created are bumped (`EpochScripts.bumpSlots`).
/// - **the change log** (`{prefix}wwctl:epochs:log`): the record of what the
///   invalidation touched (`ChangeRecord`), under the next position of the log. On one
///   server a warm checks only that the log has not moved since it last read it
///   (`EpochScripts.writeIfUnchanged`, one HGET per batch) and refuses itself the keys
///   the records name: exactly the keys a change makes stale, not their slots.
///
/// Only warmable families are bumped: nothing races with the invalidation of the others.
public struct InvalidationEpochs {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace

    /// The change log keeps at most this many bytes of records, and this many records;
    /// the oldest go first. A warm that falls further behind than that re-reads what it
    /// can no longer account for.
    public var maxLogBytes = 8 << 20
    public var maxLogRecords = 10_000
    /// Epoch hashes per bump script (a family-wide bump sends 16384).
    static let slotsPerScript = 1024

    public init(redis: RedisConnection, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    /// Bumps the epochs of what `record` touches and appends it to the change log, in one
    /// pipelined round trip. Returns the log position of the record, nil when the record
    /// is empty (nothing warmable touched: nothing sent).
    @discardableResult
    public func bump(_ record: ChangeRecord) throws -> ChangeLogPosition? {
        guard !record.isEmpty else { return nil }
        let commands = slotCommands(record) + [appendCommand(record)]
        let replies = try redis.pipeline(commands)
        for (command, reply) in zip(commands, replies) {
            if case .error(let message) = reply {
                let name = (command.first?.redisBytes).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                throw RedisError(
                    kind: .server, address: redis.address, detail: "invalidation epochs: \(message)",
                    serverMessage: message, command: name)
            }
        }
        guard let text = replies.last?.string, let position = ChangeLogPosition(text) else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "the change log answered no position")
        }
        return position
    }

    /// Bumps the epochs of `keys` (by name), grouped by family.
    @discardableResult
    public func bump(keys: some Sequence<[UInt8]>) throws -> ChangeLogPosition? {
        try bump(ChangeRecord.keys(keys, in: keyspace))
    }

    /// The bumps of the slots the record touches (`EpochScripts.bumpSlots`): per family,
    /// the slots of its keys by name, each once; every slot for selectors and whole
    /// families.
    func slotCommands(_ record: ChangeRecord) -> [[any RedisArgument]] {
        var everySlot: [String] = []
        var slots: [String: Set<Int>] = [:]
        var order: [String] = []
        for touch in record.touches {
            switch touch.touch {
            case .keys(let keys):
                if slots[touch.family] == nil { order.append(touch.family) }
                for key in keys { slots[touch.family, default: []].insert(keyspace.slot(of: key)) }
            case .selector, .all:
                if !everySlot.contains(touch.family) { everySlot.append(touch.family) }
            case .swept:
                break  // its selector bumped every slot before the walk
            }
        }
        var commands: [[any RedisArgument]] = []
        for family in order where !everySlot.contains(family) {
            commands += bumps(Array(slots[family] ?? []).sorted(), families: [family])
        }
        if !everySlot.isEmpty { commands += bumps(Array(0..<HashSlot.count), families: everySlot) }
        return commands
    }

    private func bumps(_ slots: [Int], families: [String]) -> [[any RedisArgument]] {
        stride(from: 0, to: slots.count, by: Self.slotsPerScript).map { start in
            let chunk = slots[start..<min(slots.count, start + Self.slotsPerScript)]
            var command: [any RedisArgument] = ["EVAL", EpochScripts.bumpSlots, chunk.count]
            for slot in chunk { command.append(keyspace.epochKey(slot: slot)) }
            for family in families { command.append(family) }
            return command
        }
    }

    func appendCommand(_ record: ChangeRecord) -> [any RedisArgument] {
        var random = SystemRandomNumberGenerator()
        let id = String(random.next() as UInt64, radix: 16)
        return ["EVAL", EpochScripts.appendChange, 1, keyspace.changeLogKey, record.encoded(), id, maxLogBytes, maxLogRecords]
    }
}

/// A position in the change log: `id:n`, n records appended since the log `id` was
/// created. The empty position is a log that does not exist (nothing ever invalidated).
public struct ChangeLogPosition: Sendable, Hashable, CustomStringConvertible {
    /// As the log's `seq` field holds it (empty: no log).
    public let text: String
    public let id: String
    public let count: Int

    public static let none = ChangeLogPosition(text: "", id: "", count: 0)

    private init(text: String, id: String, count: Int) {
        self.text = text
        self.id = id
        self.count = count
    }

    /// Parses `id:n`; nil for anything else.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let count = Int(text[text.index(after: colon)...]), count >= 0
        else { return nil }
        self.init(text: text, id: String(text[..<colon]), count: count)
    }

    /// Whether `later` continues this log (the same log, or a log created after a
    /// position with nothing in it) at or after this position.
    public func isContinued(by later: ChangeLogPosition) -> Bool {
        if text.isEmpty { return true }
        return later.id == id && later.count >= count
    }

    public var description: String { text.isEmpty ? "(no log)" : text }
}
