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
/// one batch of keys. Each round trip carries the UNLINK of the previous batch together
/// with the SCAN for the next one, so a sweep costs one round trip per batch.
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
    /// from it stops the sweep after the deletions already sent. Ctrl-C (`Interrupt`)
    /// stops between batches and returns a report with `interrupted` set.
    public func sweep(
        pattern: [UInt8],
        dryRun: Bool = false,
        accept: ([UInt8]) -> Bool = { _ in true },
        onBatch: (SweepProgress) throws -> Void = { _ in },
        onMatch: ([UInt8]) throws -> Void = { _ in }
    ) throws -> SweepReport {
        var report = SweepReport()
        var cursor = "0"
        var started = false
        var pending: [[UInt8]] = []
        var verb = "UNLINK"
        var count = adaptiveCount.map { min($0.upperBound, max($0.lowerBound, self.count)) } ?? self.count
        while true {
            let scanDone = started && cursor == "0"
            if scanDone && pending.isEmpty { break }
            if Interrupt.isRequested {
                // Delete nothing more: what was matched but not yet sent stays.
                report.interrupted = true
                break
            }
            var commands: [[any RedisArgument]] = []
            let unlinking = !pending.isEmpty && !dryRun
            if unlinking { commands.append([verb] + pending.map { $0 as any RedisArgument }) }
            if !scanDone { commands.append(["SCAN", cursor, "MATCH", pattern, "COUNT", count]) }
            let replies = try redis.pipeline(commands)
            report.roundTrips += 1
            var replyIndex = 0
            if unlinking {
                let reply = replies[0]
                replyIndex = 1
                if let message = reply.errorMessage {
                    if verb == "UNLINK", UnlinkSupport.isUnknownCommand(message) {
                        verb = "DEL"
                        if !scanDone { try absorbScan(replies[1], into: &cursor, pending: &pending, report: &report, pattern: pattern, accept: accept, onMatch: onMatch) }
                        continue
                    }
                    throw RedisError(kind: .server, address: redis.address, detail: "\(verb): \(message)", serverMessage: message, command: verb)
                }
                report.deleted += Int(reply.int ?? 0)
            }
            if unlinking { pending.removeAll(keepingCapacity: true) }
            if !scanDone {
                let scannedBefore = report.scanned
                try absorbScan(replies[replyIndex], into: &cursor, pending: &pending, report: &report, pattern: pattern, accept: accept, onMatch: onMatch)
                count = nextCount(after: count, returned: report.scanned - scannedBefore)
                if dryRun { pending.removeAll(keepingCapacity: true) }
                started = true
            }
            try onBatch(SweepProgress(
                scanned: report.scanned, matched: report.matched, deleted: report.deleted, roundTrips: report.roundTrips,
                walkedFraction: SweepProgress.fraction(cursor: cursor, finished: started && cursor == "0")))
        }
        return report
    }

    private func absorbScan(
        _ reply: RedisReply, into cursor: inout String, pending: inout [[UInt8]], report: inout SweepReport,
        pattern: [UInt8], accept: ([UInt8]) -> Bool, onMatch: ([UInt8]) throws -> Void
    ) throws {
        if let message = reply.errorMessage {
            throw RedisError(kind: .server, address: redis.address, detail: "SCAN: \(message)", serverMessage: message, command: "SCAN")
        }
        guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "SCAN returned an unexpected reply")
        }
        cursor = next
        for item in keys {
            guard let key = item.bytes else { continue }
            report.scanned += 1
            guard Glob.scanMatches(pattern: pattern, key: key), accept(key) else { continue }
            report.matched += 1
            try onMatch(key)
            pending.append(key)
        }
    }
}
