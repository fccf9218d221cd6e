import Keyspace
import Redis
import Support

/// How far a sweep got; passed to the progress callback after every batch.
public struct SweepProgress: Sendable {
    public var scanned: Int
    public var matched: Int
    public var deleted: Int
    public var roundTrips: Int
    /// How much of the keyspace the walk has covered, 0…1, read from the SCAN cursor:
    /// the server's cursor is the bucket index with its bits reversed, so reversing it
    /// back gives the share of buckets visited (exact while the table is not resized).
    public var walkedFraction: Double

    static func fraction(cursor: String, finished: Bool) -> Double {
        if finished { return 1 }
        guard let value = UInt64(cursor), value != 0 else { return 0 }
        var reversed: UInt64 = 0
        var rest = value
        for _ in 0..<64 {
            reversed = reversed << 1 | (rest & 1)
            rest >>= 1
        }
        return Double(reversed) / 18_446_744_073_709_551_616.0
    }
}

/// What a sweep did.
public struct SweepReport: Sendable, Equatable, Encodable {
    /// Keys SCAN returned (a key may be returned twice while the server rehashes).
    public var scanned: Int
    /// Keys that matched the pattern and passed the exact test (duplicates counted again).
    public var matched: Int
    /// Keys the server reported deleted; exact, since UNLINK of a key already gone counts 0.
    public var deleted: Int
    public var roundTrips: Int
    /// Whether the walk stopped early (Ctrl-C); `deleted` is what was deleted until then.
    public var interrupted: Bool

    public init(scanned: Int = 0, matched: Int = 0, deleted: Int = 0, roundTrips: Int = 0, interrupted: Bool = false) {
        self.scanned = scanned
        self.matched = matched
        self.deleted = deleted
        self.roundTrips = roundTrips
        self.interrupted = interrupted
    }
}

/// Walks the keyspace with SCAN MATCH and deletes what matches, never holding more than
/// two batches of keys (the one being checked and the one whose UNLINK is in flight).
///
/// The client's work overlaps the server's: as soon as a SCAN reply arrives, the next SCAN
/// (its cursor is in the reply) is sent before the batch is checked, so the server walks on
/// while the client tests keys and builds the UNLINK, which follows right after. The
/// server always has the next command queued, so a sweep costs about the server's own time
/// (SCAN walk plus deletions) rather than that plus the client's and the round trips'.
///
/// Every key SCAN returns is checked again against the glob pattern (and an optional exact
/// test, e.g. a family's `KeySelector`) before it is deleted: nothing that does not match
/// is ever deleted. Never uses KEYS.
public struct KeySweeper {
    public let redis: RedisConnection
    /// SCAN COUNT: keys the server examines per call (the first call's, when adaptive).
    public var count: Int
    /// When set, COUNT adapts after every call so that a batch carries about `batchTarget`
    /// matching keys, within these bounds. A selective pattern then walks with a large
    /// COUNT (few round trips: the walk of the whole keyspace is the cost), and a pattern
    /// that matches much keeps its batches small: measured on Redis 7.0, a walk deleting
    /// 1,000,000 of 2,000,000 keys costs the server about 25% more CPU with batches of
    /// 5,000 keys (COUNT 10,000) than with batches of 500 (COUNT 1,000) — bigger replies,
    /// bigger UNLINKs, more cache misses.
    public var adaptiveCount: ClosedRange<Int>?
    public var batchTarget: Int
    /// On a node of a Redis Cluster: each key's UNLINK goes alone (a batch's keys are in
    /// many slots, and one command may only name keys of one slot), and a key the node
    /// answers with a redirection (its slot moved or is migrating since SCAN returned it)
    /// is handed to this closure, which deletes it where it now is and returns how many
    /// keys that deleted (0 or 1). Nil on one server.
    public var redirected: (([UInt8]) throws -> Int)?

    /// The bounds wwctl adapts COUNT within: at 10,000 one SCAN call keeps a Redis 7.0
    /// server busy for about 7 ms (it allocates an object for every key it examines),
    /// which the app's own commands wait behind; more would save little and hurt them.
    public static let adaptiveRange = 500...10_000

    public init(redis: RedisConnection, count: Int = 1000, adaptiveCount: ClosedRange<Int>? = nil, batchTarget: Int = 500) {
        self.redis = redis
        self.count = count
        self.adaptiveCount = adaptiveCount
        self.batchTarget = batchTarget
    }

    /// The COUNT after a call with `count` that returned `returned` keys.
    func nextCount(after count: Int, returned: Int) -> Int {
        guard let bounds = adaptiveCount else { return count }
        let target = max(1, batchTarget)
        // Too few returned to estimate the share well: grow tenfold at most. Halfway to
        // the estimate, since one call's share is noisy.
        let observed = max(returned, target / 10)
        let scaled = Double(count) * Double(target) / Double(observed)
        return min(bounds.upperBound, max(bounds.lowerBound, Int(((Double(count) + scaled) / 2).rounded())))
    }

    /// Sweeps `pattern`. With `dryRun`, counts without deleting. `accept` is the exact
    /// test (default: the glob match alone). `onBatch` runs after every batch; throwing
    /// from it stops the sweep after the deletions already sent. `onMatch` sees every key
    /// whose UNLINK is sent, just before it goes out (dry run: every key that would be);
    /// throwing from it stops the sweep before that batch's UNLINK. Ctrl-C (`Interrupt`)
    /// stops between batches and returns a report with `interrupted` set: the keys of the
    /// batch being checked are counted in `matched`, never passed to `onMatch`, not deleted.
    ///
    /// On the wire: SCAN 0, then for every SCAN reply i: SCAN i+1 goes out at once; the
    /// reply to UNLINK i-1 is read; batch i is checked (`accept`, then `onBatch`); unless
    /// Ctrl-C was pressed, `onMatch` sees its keys and its UNLINK goes out. Whatever stops
    /// the sweep, the replies in flight are read, so the connection stays in step; Ctrl-C
    /// stops with no UNLINK unanswered, so `deleted` is exactly what the sweep deleted.
    public func sweep(
        pattern: [UInt8],
        dryRun: Bool = false,
        accept: ([UInt8]) -> Bool = { _ in true },
        onBatch: (SweepProgress) throws -> Void = { _ in },
        onMatch: ([UInt8]) throws -> Void = { _ in }
    ) throws -> SweepReport {
        var report = SweepReport()
        if Interrupt.isRequested {
            report.interrupted = true
            return report
        }
        var walk = Walk(redis: redis, pattern: pattern)
        walk.redirected = redirected
        do {
            try walk.run(self, dryRun: dryRun, report: &report, accept: accept, onBatch: onBatch, onMatch: onMatch)
        } catch {
            // What is in flight is a SCAN (or an UNLINK whose count no longer matters to a
            // failed sweep): read it, so the connection carries on in step. If that fails
            // the stream has dropped the connection, which is just as safe.
            try? walk.stream.drain()
            throw error
        }
        return report
    }

    /// One sweep's state on the wire.
    private struct Walk: ~Copyable {
        var stream: RedisStream
        let pattern: [UInt8]
        let address: String
        var verb = "UNLINK"
        /// Keys of the UNLINK sent and not yet answered (resent with DEL on servers without UNLINK).
        var inFlight: [[UInt8]] = []
        var unlinkPending = false
        /// The keys of the last UNLINK sent, which the server runs after the SCAN sent just
        /// before it. Were the table to shrink in between, that SCAN could return some of
        /// them again; they are skipped, as if the UNLINK had run first, so that a walk
        /// reports (and `onMatch` sees) what it would had the two commands been sent the
        /// other way round. The UNLINK in flight deletes them.
        var unlinking = KeyBatchIndex()
        var redirected: (([UInt8]) throws -> Int)?

        init(redis: RedisConnection, pattern: [UInt8]) {
            stream = RedisStream(redis)
            self.pattern = pattern
            address = redis.address
        }

        mutating func run(
            _ sweeper: KeySweeper, dryRun: Bool, report: inout SweepReport,
            accept: ([UInt8]) -> Bool, onBatch: (SweepProgress) throws -> Void, onMatch: ([UInt8]) throws -> Void
        ) throws {
            var count = sweeper.adaptiveCount.map { min($0.upperBound, max($0.lowerBound, sweeper.count)) } ?? sweeper.count
            try stream.send([scan(cursor: "0", count: count)])
            report.roundTrips += 1
            var batch: [[UInt8]] = []
            while true {
                let (cursor, keys) = try RedisScanner.parse(stream.receive(), address: address)
                let finished = cursor == "0"
                if !finished {
                    count = sweeper.nextCount(after: count, returned: keys.count { $0.bytes != nil })
                    try stream.send([scan(cursor: cursor, count: count)])
                    report.roundTrips += 1
                }
                batch.removeAll(keepingCapacity: true)
                if unlinkPending, let retry = try settleUnlink(report: &report) {
                    // No UNLINK on this server: the same keys go again, with DEL.
                    batch = retry
                }
                // Keys before `fresh` were passed to `onMatch` with the UNLINK that carried them.
                let fresh = batch.count
                for item in keys {
                    guard let key = item.bytes, !unlinking.contains(key) else { continue }
                    report.scanned += 1
                    guard Glob.scanMatches(pattern: pattern, key: key), accept(key) else { continue }
                    report.matched += 1
                    batch.append(key)
                }
                try onBatch(progress(report, cursor: cursor, finished: finished))
                let stopping = Interrupt.isRequested
                if stopping {
                    // Delete nothing more: what was matched in this batch stays, and `onMatch`
                    // never sees it. Only the keys of a refused UNLINK go again (with DEL),
                    // since `onMatch` has seen them.
                    report.interrupted = true
                    batch.removeSubrange(fresh...)
                }
                // `onMatch` sees exactly the keys whose UNLINK is sent (dry run: would be).
                for key in batch[fresh...] { try onMatch(key) }
                unlinking.removeAll()
                if !dryRun && !batch.isEmpty {
                    try sendUnlink(batch)
                    if !finished && !stopping { unlinking.index(batch) }
                    swap(&inFlight, &batch)
                    unlinkPending = true
                    if finished || stopping { report.roundTrips += 1 }
                }
                if stopping {
                    // The SCAN in flight is read and dropped; the UNLINK, if any, is read below.
                    if !finished { _ = try stream.receive() }
                    break
                }
                if finished { break }
            }
            // The last UNLINK went out alone: read it (again with DEL if UNLINK is unknown).
            while unlinkPending {
                if let retry = try settleUnlink(report: &report) {
                    try sendUnlink(retry)
                    inFlight = retry
                    unlinkPending = true
                    report.roundTrips += 1
                    continue
                }
                try onBatch(progress(report, cursor: "0", finished: true))
            }
        }

        private func scan(cursor: String, count: Int) -> [any RedisArgument] {
            ["SCAN", cursor, "MATCH", pattern, "COUNT", count]
        }

        private func progress(_ report: SweepReport, cursor: String, finished: Bool) -> SweepProgress {
            SweepProgress(
                scanned: report.scanned, matched: report.matched, deleted: report.deleted, roundTrips: report.roundTrips,
                walkedFraction: SweepProgress.fraction(cursor: cursor, finished: finished))
        }

        /// One UNLINK of every key, or on a cluster node one per key.
        private mutating func sendUnlink(_ keys: [[UInt8]]) throws {
            if redirected != nil {
                try stream.send(keys.map { [verb, $0] })
            } else {
                try stream.send([[verb] + keys.map { $0 as any RedisArgument }])
            }
        }

        /// Reads the pending UNLINK's reply and counts it. Returns the keys to send again
        /// with DEL when the server has no UNLINK.
        private mutating func settleUnlink(report: inout SweepReport) throws -> [[UInt8]]? {
            if let redirected { return try settleUnlinks(report: &report, redirected: redirected) }
            let reply = try stream.receive()
            unlinkPending = false
            if let message = reply.errorMessage {
                if verb == "UNLINK", UnlinkSupport.isUnknownCommand(message) {
                    verb = "DEL"
                    return inFlight
                }
                throw RedisError(kind: .server, address: address, detail: "\(verb): \(message)", serverMessage: message, command: verb)
            }
            report.deleted += Int(reply.int ?? 0)
            return nil
        }

        /// The replies of one UNLINK per key (a cluster node): a redirected key is deleted
        /// where it now is; the keys go again with DEL when UNLINK is unknown.
        private mutating func settleUnlinks(report: inout SweepReport, redirected: ([UInt8]) throws -> Int) throws -> [[UInt8]]? {
            unlinkPending = false
            var replies: [RedisReply] = []
            replies.reserveCapacity(inFlight.count)
            for _ in inFlight { replies.append(try stream.receive()) }
            for (key, reply) in zip(inFlight, replies) {
                guard let message = reply.errorMessage else {
                    report.deleted += Int(reply.int ?? 0)
                    continue
                }
                if verb == "UNLINK", UnlinkSupport.isUnknownCommand(message) {
                    verb = "DEL"
                    return inFlight
                }
                if ClusterEpochs.isRedirection(message) {
                    report.deleted += try redirected(key)
                    continue
                }
                throw RedisError(kind: .server, address: address, detail: "\(verb): \(message)", serverMessage: message, command: verb)
            }
            return nil
        }
    }
}
