import Keyspace
import Redis
import Support

/// How a warm keeps its writes from undoing a concurrent change (docs/ARCHITECTURE.md,
/// "Fine-grained epochs").
public enum WarmGuard: String, Sendable, CaseIterable {
    /// One server: each batch is written only if the change log has not moved since the
    /// writer filtered the batch against it, and the writer leaves out the keys the log's
    /// records name. One HGET per batch; refuses exactly the keys a change made stale.
    case changeLog
    /// Any topology, a cluster included: each key is written only if its hash slot's
    /// epoch for the family is still the one read before the snapshot. One HGET per slot
    /// of the batch; refuses every key of a slot a change touched.
    case slotEpochs
}

/// Writes batches to Redis with the epoch guard: one EVALSHA per batch, several batches
/// per round trip, and for each key whether it was written, left alone (`--only-missing`)
/// or refused, recorded in its pass.
final class WarmWriter {
    let redis: RedisConnection
    let view: WarmChangeView
    let mode: WarmGuard
    let onlyMissing: Bool
    private var script: LoadedScript
    /// How often in a row the script may find the log moved while the view, read again,
    /// has not (which a log cannot do), before giving up.
    private static let stalledCatchUps = 8

    init(redis: RedisConnection, view: WarmChangeView, mode: WarmGuard, onlyMissing: Bool) {
        self.redis = redis
        self.view = view
        self.mode = mode
        self.onlyMissing = onlyMissing
        script = LoadedScript(mode == .changeLog ? EpochScripts.writeIfUnchanged : EpochScripts.writeIfSlotsUnchanged)
    }

    private var keyspace: BoundKeyspace { view.keyspace }

    func loadScript() throws {
        try script.load(redis)
    }

    /// A batch on its way: its keys' hashes, and which keys to send this time.
    private final class Sending {
        let batch: WarmBatch
        let hashes: [UInt64]
        /// Keys the filter refused (indexes), and the rest, sent.
        var refused: [Int] = []
        var sent: [Int] = []

        init(_ batch: WarmBatch) {
            self.batch = batch
            var hashes: [UInt64] = []
            hashes.reserveCapacity(batch.count)
            batch.keyBytes.withUnsafeBytes { bytes in
                var start = 0
                for end in batch.keyEnds {
                    hashes.append(KeyHash.of(UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
                    start = end
                }
            }
            self.hashes = hashes
        }
    }

    /// Writes `batches` (one round trip, more when the change log moves meanwhile) and
    /// records each key's outcome in its pass. A failure of the connection marks the keys
    /// of the round trip in flight as unconfirmed and is thrown; an error reply is thrown
    /// once every other batch of the round trip is recorded.
    func write(_ batches: [WarmBatch]) throws {
        var pending = batches.map(Sending.init)
        var stalled = 0
        while !pending.isEmpty {
            let position = choose(pending)
            let sendable = pending.filter { !$0.sent.isEmpty }
            for done in pending where done.sent.isEmpty { finish(done, outcome: nil) }
            pending = sendable
            guard !pending.isEmpty else { return }
            let replies = try exchange(pending, position: position)
            var failure: (any Error)?
            var moved: [Sending] = []
            for (sending, reply) in zip(pending, replies) {
                switch reply {
                case .integer(let value) where value < 0:
                    moved.append(sending)
                case .integer, .bulk, .status:
                    if let outcome = try? outcome(reply, for: sending) {
                        finish(sending, outcome: outcome)
                    } else {
                        finish(sending, outcome: [])
                        failure = failure ?? RedisError(
                            kind: .unexpectedReply, address: redis.address, detail: "EVALSHA (warm) answered \(reply)")
                    }
                case .error(let message):
                    finish(sending, outcome: [])
                    failure = failure ?? RedisError(
                        kind: .server, address: redis.address, detail: "EVALSHA (warm): \(message)", serverMessage: message,
                        command: "EVALSHA")
                default:
                    finish(sending, outcome: [])
                    failure = failure ?? RedisError(
                        kind: .unexpectedReply, address: redis.address, detail: "EVALSHA (warm) answered \(reply)")
                }
            }
            if let failure {
                for sending in moved { finish(sending, outcome: []) }
                throw failure
            }
            pending = moved
            if !pending.isEmpty {
                // Another writer may have read the new records already: progress either way.
                try view.catchUp(redis)
                if view.position != position {
                    stalled = 0
                } else {
                    stalled += 1
                    guard stalled < Self.stalledCatchUps else {
                        for sending in pending { finish(sending, outcome: []) }
                        throw WWError.internalError("warm: the change log keeps moving while its position reads the same")
                    }
                }
            }
        }
    }

    /// Decides, for the change-log guard, which keys of each batch to send against the
    /// view's current position, which it returns. The per-slot guard sends every key.
    private func choose(_ pending: [Sending]) -> ChangeLogPosition {
        guard mode == .changeLog else {
            for sending in pending {
                sending.refused = []
                sending.sent = Array(sending.hashes.indices)
            }
            return view.position
        }
        var positions = Set<ChangeLogPosition>()
        var position = ChangeLogPosition.none
        for sending in pending {
            view.withFilter(for: sending.batch.pass) { current, filter in
                position = current
                positions.insert(current)
                sending.refused = []
                sending.sent = []
                guard let filter, !filter.isEmpty else {
                    sending.sent = Array(sending.hashes.indices)
                    return
                }
                let batch = sending.batch
                if filter.all {
                    // The family was invalidated as a whole: its reader can stop.
                    batch.pass.refuseAll()
                    sending.refused = Array(sending.hashes.indices)
                    return
                }
                batch.keyBytes.withUnsafeBufferPointer { bytes in
                    var start = 0
                    for (index, end) in batch.keyEnds.enumerated() {
                        if filter.refuses(UnsafeBufferPointer(rebasing: bytes[start..<end]), hash: sending.hashes[index]) {
                            sending.refused.append(index)
                        } else {
                            sending.sent.append(index)
                        }
                        start = end
                    }
                }
            }
        }
        // Every batch must be filtered against the position sent: a writer that caught up
        // in between moved the view forward, so filter them all again.
        if positions.count > 1 { return choose(pending) }
        return position
    }

    /// Sends the batches and reads their replies; NOSCRIPT (a server restarted or flushed
    /// its scripts) loads the script again and sends those batches once more.
    private func exchange(_ pending: [Sending], position: ChangeLogPosition) throws -> [RedisReply] {
        var replies: [RedisReply]
        do {
            replies = try redis.pipeline(pending.map { command(for: $0, position: position) })
            let forgotten = replies.indices.filter { LoadedScript.isNoScript(replies[$0]) }
            if !forgotten.isEmpty {
                try script.load(redis)
                let again = try redis.pipeline(forgotten.map { command(for: pending[$0], position: position) })
                for (index, reply) in zip(forgotten, again) { replies[index] = reply }
            }
        } catch {
            // The round trip is lost: its keys may or may not have been written.
            for sending in pending {
                sending.batch.pass.unconfirmed(sending.sent.count)
                sending.batch.pass.refused(sending.refused.map { key(sending.batch, $0) }, count: sending.refused.count)
                sending.batch.pass.answered(batches: 1)
            }
            throw error
        }
        return replies
    }

    /// Per sent key: true when written, false when left alone (NX); nil when refused.
    private func outcome(_ reply: RedisReply, for sending: Sending) throws -> [Bool?] {
        switch mode {
        case .changeLog:
            if case .integer(let count) = reply, Int(count) == sending.sent.count, !onlyMissing {
                return Array(repeating: true, count: sending.sent.count)
            }
            guard let text = reply.bytes, text.count == sending.sent.count else { throw WWError.internalError("") }
            return text.map { $0 == UInt8(ascii: "1") }
        case .slotEpochs:
            guard let text = reply.bytes, text.count == sending.sent.count else { throw WWError.internalError("") }
            return text.map { $0 == UInt8(ascii: "r") ? nil : $0 == UInt8(ascii: "1") }
        }
    }

    /// Records a batch's outcome in its pass (`outcome` per sent key; nil: the keys sent
    /// were not written, as after an error reply).
    private func finish(_ sending: Sending, outcome: [Bool?]?) {
        let batch = sending.batch
        var refused = sending.refused
        var hashes: [UInt64] = []
        var written = 0
        var present = 0
        var bytes = 0
        if let outcome {
            hashes.reserveCapacity(sending.sent.count)
            for (position, index) in sending.sent.enumerated() where position < outcome.count {
                switch outcome[position] {
                case true?:
                    hashes.append(sending.hashes[index])
                    written += 1
                    bytes += keyLength(batch, index) + valueLength(batch, index)
                case false?:
                    present += 1
                case nil:
                    refused.append(index)
                }
            }
        }
        let pass = batch.pass
        if !hashes.isEmpty || present > 0 { pass.written(hashes: hashes, count: written, bytes: bytes, present: present) }
        if !refused.isEmpty { pass.refused(refused.map { key(batch, $0) }, count: refused.count) }
        pass.answered(batches: 1)
    }

    private func key(_ batch: WarmBatch, _ index: Int) -> [UInt8] {
        Array(batch.keyBytes[(index == 0 ? 0 : batch.keyEnds[index - 1])..<batch.keyEnds[index]])
    }

    private func keyLength(_ batch: WarmBatch, _ index: Int) -> Int {
        batch.keyEnds[index] - (index == 0 ? 0 : batch.keyEnds[index - 1])
    }

    private func valueLength(_ batch: WarmBatch, _ index: Int) -> Int {
        batch.valueEnds[index] - (index == 0 ? 0 : batch.valueEnds[index - 1])
    }

    // MARK: commands

    private func command(for sending: Sending, position: ChangeLogPosition) -> [any RedisArgument] {
        switch mode {
        case .changeLog: logGuardedCommand(sending, position: position)
        case .slotEpochs: slotGuardedCommand(sending)
        }
    }

    private func ttlArguments(_ sending: Sending) -> (shared: String, each: [Int64]) {
        let ttls = sending.sent.map { sending.batch.ttls[$0] }
        guard let first = ttls.first else { return ("", []) }
        if sending.batch.uniformTTL || ttls.allSatisfy({ $0 == first }) { return (String(first), []) }
        return ("", ttls)
    }

    private func logGuardedCommand(_ sending: Sending, position: ChangeLogPosition) -> [any RedisArgument] {
        let batch = sending.batch
        let n = sending.sent.count
        let (shared, each) = ttlArguments(sending)
        var args: [any RedisArgument] = []
        args.reserveCapacity(7 + 2 * n + each.count)
        args.append("EVALSHA")
        args.append(script.sha)
        args.append(n + 1)
        args.append(keyspace.changeLogKey)
        for index in sending.sent { args.append(BatchBytes(batch: batch, index: index, isValue: false)) }
        args.append(position.text)
        args.append(onlyMissing ? "1" : "0")
        args.append(shared)
        for index in sending.sent { args.append(BatchBytes(batch: batch, index: index, isValue: true)) }
        for ttl in each { args.append(ttl) }
        return args
    }

    private func slotGuardedCommand(_ sending: Sending) -> [any RedisArgument] {
        let batch = sending.batch
        let pass = batch.pass
        let n = sending.sent.count
        var slotNumber: [Int: Int] = [:]
        var slots: [Int] = []
        var perKey: [Int] = []
        perKey.reserveCapacity(n)
        batch.keyBytes.withUnsafeBufferPointer { bytes in
            for index in sending.sent {
                let start = index == 0 ? 0 : batch.keyEnds[index - 1]
                let slot = HashSlot.of(buffer: UnsafeBufferPointer(rebasing: bytes[start..<batch.keyEnds[index]]))
                if let number = slotNumber[slot] {
                    perKey.append(number)
                } else {
                    slots.append(slot)
                    slotNumber[slot] = slots.count
                    perKey.append(slots.count)
                }
            }
        }
        let (shared, each) = ttlArguments(sending)
        var args: [any RedisArgument] = ["EVALSHA", script.sha, n + slots.count]
        for index in sending.sent { args.append(BatchBytes(batch: batch, index: index, isValue: false)) }
        for slot in slots { args.append(keyspace.epochKey(slot: slot)) }
        args.append(pass.family)
        args.append(onlyMissing ? "1" : "0")
        args.append(shared)
        args.append(n)
        for slot in slots { args.append(pass.slotEpochs?.values[slot] ?? "0") }
        for (position, index) in sending.sent.enumerated() {
            args.append(perKey[position])
            args.append(BatchBytes(batch: batch, index: index, isValue: true))
        }
        for ttl in each { args.append(ttl) }
        return args
    }
}

/// A key or value of a batch, passed to Redis without copying it out of the batch first.
struct BatchBytes: RedisArgument {
    let batch: WarmBatch
    let start: Int32
    let end: Int32
    let isValue: Bool

    init(batch: WarmBatch, index: Int, isValue: Bool) {
        let ends = isValue ? batch.valueEnds : batch.keyEnds
        self.batch = batch
        self.start = Int32(index == 0 ? 0 : ends[index - 1])
        self.end = Int32(ends[index])
        self.isValue = isValue
    }

    var redisBytes: [UInt8] {
        Array((isValue ? batch.valueBytes : batch.keyBytes)[Int(start)..<Int(end)])
    }

    func appendRedisBytes(to buffer: inout [UInt8]) {
        let range = Int(start)..<Int(end)
        if isValue {
            batch.valueBytes.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        } else {
            batch.keyBytes.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }
}
