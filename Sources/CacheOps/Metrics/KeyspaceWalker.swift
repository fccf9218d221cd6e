import Keyspace
import Redis
import Support

/// What a walk did.
public struct WalkSummary: Sendable, Equatable {
    /// Keys SCAN returned (repeats included) that still existed for their PTTL.
    public var keys = 0
    /// Keys SCAN returned that were gone by the time of their PTTL (expired, deleted).
    public var vanished = 0
    /// PTTL calls: each one is a lookup the server counts in keyspace_hits or _misses
    /// (with `limit`, also those of the last batch's keys beyond the limit).
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
/// USAGE for every key or for the keys the caller picks, without disturbing the
/// application's cache:
///
/// - SCAN does not look keys up: no hit or miss is counted, no LRU/LFU field changes.
/// - PTTL looks keys up with LOOKUP_NOTOUCH: LRU/LFU stay as they were, but Redis 7.0
///   counts the lookup in keyspace_hits (or _misses for a key that vanished); there is
///   no TTL read that avoids it. `WalkSummary.lookups` says how many were added.
/// - MEMORY USAGE finds the key in the dictionary directly: no lookup, no touch.
///
/// The server's work is the floor of a walk's time, so it is kept small and the server
/// kept busy. A thread of the walk's own fetches batches on a second connection: each
/// round trip carries the PTTL calls for the keys of the last SCAN and the next SCAN, so
/// the lookups find the dictionary entries SCAN has just visited still in the server's
/// CPU cache (measured: a lag of a few batches costs the server a third more time; a Lua
/// script doing SCAN and PTTL server-side costs it about 15 % more than this pipeline).
/// Meanwhile the calling thread classifies and tallies the previous batch; MEMORY USAGE
/// for the keys it picks goes out on `connection`.
///
/// The client's work per key is kept well below the server's, so that the walk takes
/// about as long as the server needs: commands are written as RESP into one reused
/// buffer (`RedisCommandBuffer`), replies read into another (`RedisReplyBuffer`), keys
/// handed over back to back in one array, and the callbacks borrow each key's bytes
/// (`KeyClassifier` classifies them without building parameters). Measured on 2,000,000
/// keys: about 0.25 µs of client CPU per key, against about 1.7 µs of server CPU.
///
/// SCAN may return a key more than once (a rehash during the walk); keys are not
/// deduplicated, since that would need memory in proportion to the keyspace.
public struct KeyspaceWalker: Sendable {
    public let connection: RedisConnection
    /// SCAN's COUNT hint.
    public let count: Int
    /// Stop after this many keys.
    public let limit: Int?

    public init(
        connection: RedisConnection, count: Int = 1000, limit: Int? = nil
    ) {
        self.connection = connection
        self.count = count
        self.limit = limit
    }

    /// Walks until the end, `limit` keys, or Ctrl-C (checked between batches).
    ///
    /// With `memoryForEveryKey`, each key's MEMORY USAGE is read with its TTL. Otherwise
    /// `classify` decides per key, in walk order, and the picked keys are asked in one
    /// pipeline per batch. `classify` also returns the caller's tag for the key, which
    /// `onKey` receives with each key that still existed. Both run on the calling thread
    /// and borrow the key's bytes for the call only: nothing is allocated per key unless
    /// the callbacks do it.
    public func walk<Tag>(
        memoryForEveryKey: Bool = false,
        classify: (UnsafeRawBufferPointer) -> (tag: Tag, memory: Bool),
        onKey: (BorrowedWalkedKey, Tag) throws -> Void
    ) throws -> WalkSummary {
        guard count > 0 else { throw WWError.usage("SCAN count must be at least 1") }
        if let limit, limit < 1 { throw WWError.usage("the key limit must be at least 1") }
        let fetchConnection = try RedisConnection(
            url: connection.url, connectTimeout: connection.connectTimeout, commandTimeout: connection.commandTimeout)
        let queue = HandoffQueue<FetchMessage>(capacity: 2)
        let finished = Latch()
        let fetcher = BatchFetcher(connection: fetchConnection, count: count, limit: limit, memory: memoryForEveryKey)
        DedicatedThread.start {
            fetcher.run(into: queue)
            finished.signal()
        }
        defer {
            queue.close()
            finished.wait()
            fetchConnection.close()
        }

        var summary = WalkSummary()
        var tags: [Tag] = []
        var picked: [Int] = []
        var memory: [Int?] = []
        var memoryCommands = RedisCommandBuffer()
        let memoryReplies = RedisReplyBuffer()
        while let message = queue.take() {
            switch message {
            case .failure(let error):
                throw error
            case .end(let end):
                summary.scanCalls = end.scanCalls
                summary.lookups = end.lookups
                summary.complete = end.complete
                summary.interrupted = summary.interrupted || end.interrupted
                if memoryForEveryKey { summary.memoryCalls += end.lookups }
            case .batch(let batch):
                // After Ctrl-C the fetcher stops at its next batch; the ones it already
                // fetched are tallied, so that every PTTL sent (a lookup the server
                // counted) is a key walked or one that vanished.
                if Interrupt.isRequested { summary.interrupted = true }
                try batch.keys.withKeys { keys in
                    tags.removeAll(keepingCapacity: true)
                    picked.removeAll(keepingCapacity: true)
                    for i in 0..<keys.count {
                        let (tag, wantsMemory) = classify(keys[i])
                        tags.append(tag)
                        if wantsMemory && !memoryForEveryKey && batch.ttls[i] != -2 { picked.append(i) }
                    }
                    memory = batch.memory ?? Array(repeating: nil, count: keys.count)
                    if !picked.isEmpty {
                        memoryCommands.removeAll()
                        for i in picked { memoryCommands.append("MEMORY", "USAGE", key: keys[i]) }
                        try connection.pipeline(memoryCommands, into: memoryReplies)
                        summary.memoryCalls += picked.count
                        for (n, i) in picked.enumerated() {
                            memory[i] = try memoryUsage(memoryReplies, memoryReplies.reply(n), address: connection.address)
                        }
                    }
                    for i in 0..<keys.count {
                        guard batch.ttls[i] != -2 else {
                            summary.vanished += 1
                            continue
                        }
                        summary.keys += 1
                        try onKey(BorrowedWalkedKey(bytes: keys[i], pttlMs: batch.ttls[i], memoryBytes: memory[i]), tags[i])
                    }
                }
            }
        }
        if summary.interrupted { summary.complete = false }
        return summary
    }
}

/// One key met by a walk, its bytes borrowed for the duration of the `onKey` call.
public struct BorrowedWalkedKey {
    public let bytes: UnsafeRawBufferPointer
    /// PTTL in milliseconds, -1 when the key has no TTL.
    public let pttlMs: Int64
    /// MEMORY USAGE in bytes (value, key and overhead), when it was asked for.
    public let memoryBytes: Int?
}

/// Bytes, or nil when the key vanished (a null reply).
/// The address is asked for only to name the server in an error.
private func memoryUsage(
    _ replies: RedisReplyBuffer, _ reply: RedisReplyBuffer.Element, address: @autoclosure () -> String
) throws -> Int? {
    if let value = replies.integer(reply) { return value >= 0 ? Int(value) : nil }
    switch replies.kind(of: reply) {
    case .null:
        return nil
    case .error:
        let message = replies.errorMessage(reply) ?? ""
        throw RedisError(kind: .server, address: address(), detail: message, serverMessage: message, command: "MEMORY")
    default:
        throw RedisError(kind: .unexpectedReply, address: address(), detail: "MEMORY USAGE did not answer with an integer")
    }
}

/// Keys back to back in one buffer: no array per key.
struct KeyList: Sendable {
    private(set) var bytes: [UInt8] = []
    /// Where each key ends in `bytes`.
    private(set) var ends: [Int] = []

    var count: Int { ends.count }

    mutating func reserve(keys: Int, bytes byteCount: Int) {
        ends.reserveCapacity(keys)
        bytes.reserveCapacity(byteCount)
    }

    mutating func append(_ key: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
    }

    mutating func removeLast(_ n: Int) {
        ends.removeLast(n)
        bytes.removeLast(bytes.count - (ends.last ?? 0))
    }

    /// Lends the keys for the duration of `body`.
    func withKeys<Result>(_ body: (Keys) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(Keys(bytes: $0, ends: ends)) }
    }

    struct Keys {
        let bytes: UnsafeRawBufferPointer
        let ends: [Int]

        var count: Int { ends.count }

        subscript(index: Int) -> UnsafeRawBufferPointer {
            let start = index == 0 ? 0 : ends[index - 1]
            return UnsafeRawBufferPointer(rebasing: bytes[start..<ends[index]])
        }
    }
}

/// One fetched batch: keys with their TTLs (and sizes when asked for every key).
private struct FetchedBatch: Sendable {
    var keys: KeyList
    var ttls: [Int64]
    var memory: [Int?]?
}

private struct FetchEnd: Sendable {
    var scanCalls: Int
    var lookups: Int
    var complete: Bool
    var interrupted: Bool
}

private enum FetchMessage: Sendable {
    case batch(FetchedBatch)
    /// The fetcher stopped: at the end of the keyspace, at the limit, or at Ctrl-C.
    case end(FetchEnd)
    case failure(any Error)
}

/// The walk's thread: one round trip per batch, results handed to the caller's thread.
/// Commands are written into one reused buffer and replies read into another, so a
/// batch costs a few allocations, not several per key.
private struct BatchFetcher: Sendable {
    let connection: RedisConnection
    let count: Int
    let limit: Int?
    let memory: Bool

    func run(into queue: HandoffQueue<FetchMessage>) {
        var end = FetchEnd(scanCalls: 0, lookups: 0, complete: false, interrupted: false)
        var seen = 0
        var commands = RedisCommandBuffer(reservingBytes: 64 * 1024)
        let replies = RedisReplyBuffer()
        do {
            appendScan(cursor: Array("0".utf8), to: &commands)
            try connection.pipeline(commands, into: replies)
            var scanned = try scanReply(replies, replies.reply(0))
            end.scanCalls += 1
            while true {
                if Interrupt.isRequested {
                    end.interrupted = true
                    break
                }
                let (cursor, keys) = scanned
                let more = cursor != Self.finalCursor && limit.map { seen + keys.count < $0 } ?? true
                var batch: FetchedBatch
                let next: (cursor: [UInt8], keys: KeyList)?
                (batch, next) = try pipelineBatch(keys, scanning: more ? cursor : nil, commands: &commands, replies: replies)
                end.lookups += batch.keys.count
                var cut = false
                if let limit, seen + batch.keys.count > limit {
                    cut = true
                    let keep = limit - seen
                    batch.keys.removeLast(batch.keys.count - keep)
                    batch.ttls.removeLast(batch.ttls.count - keep)
                    if let sizes = batch.memory { batch.memory = Array(sizes.prefix(keep)) }
                }
                seen += batch.keys.count
                guard queue.put(.batch(batch)) else { return }
                guard let next else {
                    end.complete = cursor == Self.finalCursor && !cut
                    break
                }
                scanned = next
                end.scanCalls += 1
            }
            queue.put(.end(end))
        } catch {
            queue.put(.failure(error))
        }
        queue.close()
    }

    private static let finalCursor = Array("0".utf8)

    private func appendScan(cursor: [UInt8], to commands: inout RedisCommandBuffer) {
        commands.beginCommand(arguments: 4)
        commands.appendArgument("SCAN")
        commands.appendArgument(cursor)
        commands.appendArgument("COUNT")
        commands.appendArgument(count)
    }

    /// PTTL (and MEMORY USAGE) for `keys`, pipelined with the SCAN at `scanning` when
    /// given; returns the batch and that SCAN's cursor and keys.
    private func pipelineBatch(
        _ keys: KeyList, scanning: [UInt8]?, commands: inout RedisCommandBuffer, replies: RedisReplyBuffer
    ) throws -> (FetchedBatch, (cursor: [UInt8], keys: KeyList)?) {
        commands.removeAll()
        keys.withKeys { keys in
            for i in 0..<keys.count {
                commands.append("PTTL", key: keys[i])
                if memory { commands.append("MEMORY", "USAGE", key: keys[i]) }
            }
        }
        if let scanning { appendScan(cursor: scanning, to: &commands) }
        try connection.pipeline(commands, into: replies)
        var ttls: [Int64] = []
        ttls.reserveCapacity(keys.count)
        var sizes: [Int?] = []
        if memory { sizes.reserveCapacity(keys.count) }
        var index = 0
        for _ in 0..<keys.count {
            ttls.append(try integer(replies, replies.reply(index), "PTTL"))
            index += 1
            if memory {
                sizes.append(try memoryUsage(replies, replies.reply(index), address: connection.address))
                index += 1
            }
        }
        let next = scanning == nil ? nil : try scanReply(replies, replies.reply(index))
        return (FetchedBatch(keys: keys, ttls: ttls, memory: memory ? sizes : nil), next)
    }

    private func scanReply(_ replies: RedisReplyBuffer, _ reply: RedisReplyBuffer.Element) throws -> ([UInt8], KeyList) {
        if let message = replies.errorMessage(reply) {
            throw RedisError(kind: .server, address: connection.address, detail: message, serverMessage: message, command: "SCAN")
        }
        var parts = replies.elements(of: reply).makeIterator()
        guard replies.elementCount(of: reply) == 2, let cursorPart = parts.next(), let keysPart = parts.next(),
              let cursor = replies.bytes(of: cursorPart),
              !cursor.isEmpty, cursor.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let keyCount = replies.elementCount(of: keysPart)
        else {
            throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "SCAN reply is not [cursor, keys]")
        }
        var keys = KeyList()
        keys.reserve(keys: keyCount, bytes: keyCount * 32)
        for element in replies.elements(of: keysPart) {
            guard replies.kind(of: element) == .bulk else {
                throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "SCAN returned a key that is not a bulk string")
            }
            replies.withBytes(of: element) { keys.append($0) }
        }
        return (cursor, keys)
    }

    private func integer(_ replies: RedisReplyBuffer, _ reply: RedisReplyBuffer.Element, _ command: String) throws -> Int64 {
        if let value = replies.integer(reply) { return value }
        if let message = replies.errorMessage(reply) {
            throw RedisError(kind: .server, address: connection.address, detail: message, serverMessage: message, command: command)
        }
        throw RedisError(kind: .unexpectedReply, address: connection.address, detail: "\(command) did not answer with an integer")
    }
}
