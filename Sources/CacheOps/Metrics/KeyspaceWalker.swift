import Keyspace
import Redis
import Support

/// One key met by a `KeyspaceWalker`, with what the walk read about it.
public struct WalkedKey: Sendable {
    public let key: [UInt8]
    /// PTTL in milliseconds, -1 when the key has no TTL.
    public let pttlMs: Int64
    /// MEMORY USAGE in bytes (value, key and overhead), when it was asked for.
    public let memoryBytes: Int?
}

/// What a walk did.
public struct WalkSummary: Sendable, Equatable {
    /// Keys SCAN returned (repeats included) and that still existed for their PTTL.
    public var keys = 0
    /// Keys SCAN returned that were gone by the time of their PTTL (expired, deleted).
    public var vanished = 0
    /// PTTL calls: each one is a lookup the server counts in keyspace_hits or _misses.
    public var lookups = 0
    /// MEMORY USAGE calls (not counted as lookups by the server).
    public var memoryCalls = 0
    /// SCAN calls.
    public var scanCalls = 0
    /// True when the walk reached the end of the keyspace (not stopped by a limit or Ctrl-C).
    public var complete = false
    /// True when Ctrl-C stopped the walk.
    public var interrupted = false

    public init() {}
}

/// Walks the connection's database with SCAN and reads each key's TTL, plus MEMORY
/// USAGE where the caller asks for it, without disturbing the application's cache:
///
/// - SCAN does not look keys up: no hit or miss is counted, no LRU/LFU field changes.
/// - PTTL looks keys up with LOOKUP_NOTOUCH: LRU/LFU stay as they were, but Redis 7.0
///   counts the lookup in keyspace_hits (or _misses for a key that vanished); there is
///   no TTL read that avoids it. `WalkSummary.lookups` says how many were added.
/// - MEMORY USAGE finds the key in the dictionary directly: no lookup, no touch.
///
/// Two connections work at once so that the server always has something to do: a
/// thread of the walk's own SCANs on a second connection and classifies each batch of
/// keys (`classify`), while the calling thread pipelines the PTTL and MEMORY USAGE
/// calls of the previous batch on `connection` and hands the results to `onKey`.
///
/// SCAN may return a key more than once (a rehash during the walk); keys are not
/// deduplicated, since that would need memory in proportion to the keyspace.
public struct KeyspaceWalker: Sendable {
    public let connection: RedisConnection
    public let registry: KeyspaceRegistry
    /// The app's key prefix: keys without it are of no family.
    public let prefix: String
    /// SCAN's COUNT hint.
    public let count: Int
    /// Stop after this many keys.
    public let limit: Int?

    public init(
        connection: RedisConnection, registry: KeyspaceRegistry = .standard, prefix: String = "",
        count: Int = 1000, limit: Int? = nil
    ) {
        self.connection = connection
        self.registry = registry
        self.prefix = prefix
        self.count = count
        self.limit = limit
    }

    /// Walks until the end, `limit` keys, or Ctrl-C (checked between batches).
    ///
    /// `classify` runs on the walk's own thread, once per key in walk order, before the
    /// key's PTTL is sent: it returns the caller's tag for the key and whether to ask
    /// MEMORY USAGE for it. It must not share mutable state with `onKey`, which runs on
    /// the calling thread and gets each key that still existed, with its tag, in walk
    /// order. The walk's thread has finished when this returns or throws.
    public func walk<Tag: Sendable>(
        classify: @escaping ([UInt8], ParsedKey) -> (tag: Tag, memory: Bool),
        onKey: (WalkedKey, Tag) throws -> Void
    ) throws -> WalkSummary {
        guard count > 0 else { throw WWError.usage("SCAN count must be at least 1") }
        if let limit, limit < 1 { throw WWError.usage("the key limit must be at least 1") }
        let scanner = try RedisConnection(
            url: connection.url, connectTimeout: connection.connectTimeout, commandTimeout: connection.commandTimeout)
        let queue = HandoffQueue<ScanMessage<Tag>>(capacity: 4)
        let finished = Latch()
        let producer = ScanProducer(
            connection: scanner, registry: registry, prefix: prefix, count: count, limit: limit,
            classify: UncheckedSendable(classify))
        DedicatedThread.start {
            producer.run(into: queue)
            finished.signal()
        }
        defer {
            queue.close()
            finished.wait()
            scanner.close()
        }

        var summary = WalkSummary()
        var commands: [[any RedisArgument]] = []
        while let message = queue.take() {
            switch message {
            case .failure(let error):
                throw error
            case .end(let scanCalls, let complete, let interrupted):
                summary.scanCalls = scanCalls
                summary.complete = complete
                summary.interrupted = summary.interrupted || interrupted
            case .batch(let batch):
                if Interrupt.isRequested {
                    summary.interrupted = true
                    queue.close()
                    continue
                }
                commands.removeAll(keepingCapacity: true)
                for (i, key) in batch.keys.enumerated() {
                    commands.append(["PTTL", key])
                    if batch.memory[i] { commands.append(["MEMORY", "USAGE", key]) }
                }
                guard !commands.isEmpty else { continue }
                let replies = try connection.pipeline(commands)
                var index = 0
                for (i, key) in batch.keys.enumerated() {
                    let ttl = try integer(replies[index], "PTTL")
                    index += 1
                    summary.lookups += 1
                    var bytes: Int?
                    if batch.memory[i] {
                        bytes = try memoryUsage(replies[index])
                        index += 1
                        summary.memoryCalls += 1
                    }
                    guard ttl != -2 else {
                        summary.vanished += 1
                        continue
                    }
                    summary.keys += 1
                    try onKey(WalkedKey(key: key, pttlMs: ttl, memoryBytes: bytes), batch.tags[i])
                }
            }
        }
        if summary.interrupted { summary.complete = false }
        return summary
    }

    private func integer(_ reply: RedisReply, _ command: String) throws -> Int64 {
        if case .integer(let value) = reply { return value }
        if let message = reply.errorMessage { throw serverError(connection.address, message, command) }
        throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "\(command) did not answer with an integer")
    }

    /// Bytes, or nil when the key vanished (a null reply).
    private func memoryUsage(_ reply: RedisReply) throws -> Int? {
        switch reply {
        case .integer(let value): return Int(value)
        case .null: return nil
        case .error(let message): throw serverError(connection.address, message, "MEMORY")
        default:
            throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "MEMORY USAGE did not answer with an integer")
        }
    }
}

private func serverError(_ address: String, _ message: String, _ command: String) -> RedisError {
    RedisError(kind: .server, address: address, detail: message, serverMessage: message, command: command)
}

/// One batch of keys and what the caller decided about each.
private struct ScanBatch<Tag: Sendable>: Sendable {
    var keys: [[UInt8]]
    var tags: [Tag]
    var memory: [Bool]
}

private enum ScanMessage<Tag: Sendable>: Sendable {
    case batch(ScanBatch<Tag>)
    /// The producer stopped: at the end of the keyspace, at the limit, or at Ctrl-C.
    case end(scanCalls: Int, complete: Bool, interrupted: Bool)
    case failure(any Error)
}

/// A value used by one thread at a time, handed from the caller to the walk's thread.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The walk's thread: SCAN, classify, hand over.
private struct ScanProducer<Tag: Sendable>: Sendable {
    let connection: RedisConnection
    let registry: KeyspaceRegistry
    let prefix: String
    let count: Int
    let limit: Int?
    let classify: UncheckedSendable<([UInt8], ParsedKey) -> (tag: Tag, memory: Bool)>

    func run(into queue: HandoffQueue<ScanMessage<Tag>>) {
        var cursor = "0"
        var seen = 0
        var calls = 0
        do {
            repeat {
                if Interrupt.isRequested {
                    queue.put(.end(scanCalls: calls, complete: false, interrupted: true))
                    queue.close()
                    return
                }
                var keys: [[UInt8]]
                (cursor, keys) = try scan(cursor)
                calls += 1
                if let limit, seen + keys.count > limit { keys.removeLast(seen + keys.count - limit) }
                seen += keys.count
                var batch = ScanBatch<Tag>(keys: keys, tags: [], memory: [])
                batch.tags.reserveCapacity(keys.count)
                batch.memory.reserveCapacity(keys.count)
                for key in keys {
                    let (tag, memory) = classify.value(key, registry.parse(key, prefix: prefix))
                    batch.tags.append(tag)
                    batch.memory.append(memory)
                }
                guard queue.put(.batch(batch)) else { return }
            } while cursor != "0" && limit.map({ seen < $0 }) ?? true
            queue.put(.end(scanCalls: calls, complete: cursor == "0", interrupted: false))
        } catch {
            queue.put(.failure(error))
        }
        queue.close()
    }

    private func scan(_ cursor: String) throws -> (String, [[UInt8]]) {
        let reply = try connection.command(["SCAN", cursor, "COUNT", count])
        guard case .array(let parts) = reply, parts.count == 2, let next = parts[0].string,
              !next.isEmpty, next.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              case .array(let elements) = parts[1]
        else {
            throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "SCAN reply is not [cursor, keys]")
        }
        var keys: [[UInt8]] = []
        keys.reserveCapacity(elements.count)
        for element in elements {
            guard case .bulk(let key) = element else {
                throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "SCAN returned a key that is not a bulk string")
            }
            keys.append(key)
        }
        return (next, keys)
    }
}
