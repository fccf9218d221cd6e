import Keyspace
import Postgres
import Redis
import Support
import Synchronization

/// What `cache warm` is asked to do.
public struct WarmOptions: Sendable {
    /// Family names; empty for every warmable family the scope reaches.
    public var families: [String]
    public var scope: WarmScope
    /// Count keys and bytes, write nothing (and take no lock).
    public var dryRun: Bool
    /// SET NX: leave keys that exist alone.
    public var onlyMissing: Bool
    /// F in [0, 1): each TTL uniform over [TTL·(1−F), TTL].
    public var ttlJitter: Double
    /// Warm a family once more when a concurrent change made the epoch guard refuse some
    /// of its keys (the second attempt reads a new snapshot, after the change).
    public var retrySkipped: Bool = true
    /// "Now" for the admin periods and the closed months, as PostgreSQL timestamptz text;
    /// nil for the transaction's `now()`. Tests fix it to the seed's anchor.
    public var referenceTime: String?
    /// Keys and bytes per EVALSHA.
    public var batchKeys = 1024
    public var batchBytes = 512 * 1024
    /// Batches, and bytes, the reader may be ahead of the writers.
    public var queueDepth = 32
    public var queueBytes = 4 << 20
    /// Batches, and bytes, each writer sends per round trip.
    public var batchesPerRoundTrip = 16
    public var roundTripBytes = 2 << 20
    /// Writer connections. With several, one's batches run on the server while the others
    /// wait for replies or build their next round, so the server never waits for a round
    /// trip (on a busy machine a round trip includes being scheduled again, on both ends).
    public var writers = 3
    public var lockTTLMilliseconds = 30_000
    /// Seconds between lock renewals; nil for a third of the TTL.
    public var lockRenewInterval: Double?
    /// Called on the reader's thread with the family's name once its PostgreSQL snapshot
    /// is taken, before its rows are read. For tests, which use it to commit a concurrent
    /// change at a known point.
    public var afterSnapshot: (@Sendable (String) -> Void)?
    /// Called on the writer's thread after each round trip (a terminal's progress line).
    public var progress: (@Sendable (WarmProgress) -> Void)?

    public init(
        families: [String] = [], scope: WarmScope = .all, dryRun: Bool = false, onlyMissing: Bool = false,
        ttlJitter: Double = 0
    ) {
        self.families = families
        self.scope = scope
        self.dryRun = dryRun
        self.onlyMissing = onlyMissing
        self.ttlJitter = ttlJitter
    }

    /// The usage errors (exit 64) that need no server: the jitter's range, unknown or
    /// unwarmable family names, families the scope does not reach.
    @discardableResult
    public func validate() throws -> WarmSelection {
        guard TTLJitter.isValid(ttlJitter) else {
            throw WWError.usage("--ttl-jitter must be at least 0 and less than 1, got \(ttlJitter)")
        }
        return try WarmSelection.resolve(names: families, scope: scope)
    }
}

/// Where a running warm is.
public struct WarmProgress: Sendable {
    /// The family being written.
    public let family: String
    /// Keys written so far, in all families.
    public let keys: Int
    /// Families finished, of `familyCount`.
    public let familiesDone: Int
    public let familyCount: Int
}

/// One family's outcome.
public struct WarmFamilyReport: Sendable, Equatable {
    public let name: String
    /// Keys written (a dry run: keys that would be written).
    public var keys: Int
    /// Bytes of the keys and values produced.
    public var bytes: Int
    /// From the start of the family's query to its last write.
    public var elapsedSeconds: Double
    /// Keys the epoch guard refused because a concurrent change invalidated the family
    /// after its snapshot, over all attempts.
    public var skipped: Int
    /// `--only-missing`: keys left alone because they exist.
    public var present: Int
    /// Whether the family was warmed a second time because of refused keys.
    public var retried: Bool
    /// Whether refused keys remain after the last attempt (the operator should run again).
    public var incomplete: Bool

    public var keysPerSecond: Double {
        elapsedSeconds > 0 ? Double(keys) / elapsedSeconds : 0
    }
}

/// What a warm did.
public struct WarmReport: Sendable {
    public let scope: WarmScope
    public let dryRun: Bool
    public let onlyMissing: Bool
    public var families: [WarmFamilyReport]
    /// Warmable families the scope does not reach (left out).
    public let outOfScope: [String]
    public var elapsedSeconds: Double

    public var keys: Int { families.reduce(0) { $0 + $1.keys } }
    public var bytes: Int { families.reduce(0) { $0 + $1.bytes } }
    public var skipped: Int { families.reduce(0) { $0 + $1.skipped } }
    public var keysPerSecond: Double { elapsedSeconds > 0 ? Double(keys) / elapsedSeconds : 0 }
}

/// Warms Redis from PostgreSQL: for each family, one streamed COPY whose rows become the
/// app's keys and values, written by SET … PX (NX with `onlyMissing`) in pipelined,
/// epoch-guarded batches.
///
/// Reading and writing overlap: the calling thread reads PostgreSQL and builds batches
/// into a bounded queue; a writer thread with its own Redis connection sends them, several
/// per round trip. Memory is bounded by the queue (and the largest single value), not by
/// the key count.
///
/// Consistency with concurrent changes: for each family the epoch
/// (`InvalidationEpochs`) is read before the family's REPEATABLE READ snapshot is taken,
/// and every batch is written by a script that writes nothing if the epoch moved since.
/// A family with refused keys is warmed once more (new epoch, new snapshot); keys still
/// refused are reported (`incomplete`).
///
/// Cron safety: a `WarmLock` per scope, held and renewed for the whole run (not in a dry run).
public final class CacheWarmer {
    public let postgres: PostgresConnection
    /// Reads the epochs; the writer and the lock open connections of their own to the same server.
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace

    public init(postgres: PostgresConnection, redis: RedisConnection, keyspace: BoundKeyspace) {
        self.postgres = postgres
        self.redis = redis
        self.keyspace = keyspace
    }

    public func run(_ options: WarmOptions) throws -> WarmReport {
        let started = ContinuousClock.now
        let selection = try options.validate()
        let plans = try WarmSources.plans(selection.families, scope: options.scope.kind)
        try options.scope.requireEntity(postgres)

        var lock: WarmLock?
        var writers: [RedisConnection] = []
        defer {
            if let lock { try? lock.release() }
            for writer in writers { writer.close() }
        }
        if !options.dryRun {
            let lockConnection = try connection()
            let taken = try WarmLock.acquire(
                lockConnection, scope: options.scope.lockName, in: keyspace, ttlMilliseconds: options.lockTTLMilliseconds)
            lock = taken
            taken.startRenewing(interval: options.lockRenewInterval)
            for _ in 0..<max(1, options.writers) { writers.append(try connection()) }
        }

        var reports = try pass(selection.families, plans, options: options, writers: writers, lock: lock)
        let refused = reports.filter { $0.skipped > 0 }.map(\.name)
        if options.retrySkipped, !options.dryRun, !refused.isEmpty {
            let again = try pass(refused, plans, options: options, writers: writers, lock: lock)
            for second in again {
                guard let index = reports.firstIndex(where: { $0.name == second.name }) else { continue }
                let first = reports[index]
                var merged = second
                merged.retried = true
                merged.skipped = first.skipped + second.skipped
                merged.elapsedSeconds = first.elapsedSeconds + second.elapsedSeconds
                if options.onlyMissing {
                    // The first attempt's writes are found present by the second.
                    merged.keys = first.keys + second.keys
                    merged.present = max(0, second.present - first.keys)
                }
                reports[index] = merged
            }
        }
        if let lost = lock?.lost { throw lost }
        return WarmReport(
            scope: options.scope, dryRun: options.dryRun, onlyMissing: options.onlyMissing, families: reports,
            outOfScope: selection.outOfScope, elapsedSeconds: Self.seconds(since: started))
    }

    private func connection() throws -> RedisConnection {
        try RedisConnection(url: redis.url, connectTimeout: redis.connectTimeout, commandTimeout: redis.commandTimeout)
    }

    // MARK: one pass over some families

    private func pass(
        _ names: [String], _ plans: [String: WarmPlan], options: WarmOptions, writers: [RedisConnection], lock: WarmLock?
    ) throws -> [WarmFamilyReport] {
        let plans = try names.map { name in
            guard let plan = plans[name] else { throw WWError.internalError("warm: no plan for family \(name)") }
            return plan
        }
        let count = plans.count
        var starts = [ContinuousClock.Instant](repeating: .now, count: count)
        let stale = StaleFamilies(count: count)
        let ledger = WarmLedger(count: count)

        if writers.isEmpty {
            for index in 0..<count {
                starts[index] = .now
                let produced = try produce(plans[index], index: index, epoch: "0", options: options, stale: stale) { _ in }
                ledger.produced(index, bytes: produced.bytes, batches: 0)
                ledger.written(index, written: produced.keys, present: 0, skipped: 0)
            }
        } else {
            let epochKeys = names.map { keyspace.epochKey(family: $0) }
            let queue = WarmQueue(capacity: options.queueDepth, byteLimit: options.queueBytes)
            var finished: [WarmCompletion<Void>] = []
            for connection in writers {
                let writer = WarmWriter(redis: connection, epochKeys: epochKeys, onlyMissing: options.onlyMissing)
                try writer.loadScript()
                let job = WriterJob(
                    writer: writer, queue: queue, lock: lock, ledger: ledger, names: names, options: options, stale: stale)
                let done = WarmCompletion<Void>()
                finished.append(done)
                DedicatedThread.start {
                    do {
                        try job.run()
                        done.finish(.success(()))
                    } catch {
                        queue.fail(error)
                        done.finish(.failure(error))
                    }
                }
            }
            do {
                for index in 0..<count {
                    starts[index] = .now
                    let epoch = try epochValue(names[index])
                    var batches = 0
                    let produced = try produce(plans[index], index: index, epoch: epoch, options: options, stale: stale) {
                        try queue.push(.batch($0))
                        batches += 1
                    }
                    try queue.push(.familyDone(index: index, bytes: produced.bytes, batches: batches))
                }
                queue.close()
            } catch {
                queue.fail(error)
                for done in finished { _ = try? done.wait() }
                throw error
            }
            for done in finished { try done.wait() }
        }

        let tallies = ledger.tallies
        return (0..<count).map { index in
            let tally = tallies[index]
            let end = tally.finished ?? .now
            return WarmFamilyReport(
                name: names[index], keys: tally.written, bytes: tally.bytes,
                elapsedSeconds: Self.seconds(starts[index], end), skipped: tally.skipped, present: tally.present,
                retried: false, incomplete: tally.skipped > 0)
        }
    }

    /// The family's invalidation epoch as the guard script compares it (`0` when never bumped).
    private func epochValue(_ family: String) throws -> String {
        let key = keyspace.epochKey(family: family)
        let reply = try redis.command(["GET", key])
        if reply.isNull { return "0" }
        guard let value = reply.int else {
            throw WWError.dataError("redis \(redis.address): the epoch \(KeyText.escaped(key)) is not an integer")
        }
        return String(value)
    }

    private struct Produced {
        var keys: Int
        var bytes: Int
    }

    /// Thrown inside a family's COPY to stop reading a family the writer found invalidated.
    private struct Abandoned: Error {}

    /// Reads one family from PostgreSQL in its own REPEATABLE READ snapshot and hands its
    /// batches to `deliver`.
    private func produce(
        _ plan: WarmPlan, index: Int, epoch: String, options: WarmOptions, stale: StaleFamilies,
        deliver: @escaping (WarmBatch) throws -> Void
    ) throws -> Produced {
        let emitter = try WarmEmitter(plan, in: keyspace)
        var parser = CopyRowParser(columns: plan.columnCount)
        var sink = WarmSink(
            family: index, expectedEpoch: epoch, maxKeys: options.batchKeys, maxBytes: options.batchBytes,
            dryRun: options.dryRun, jitter: TTLJitter(fraction: options.ttlJitter), deliver: deliver)
        let name = plan.family.name
        do {
            try postgres.transaction(isolation: .repeatableRead, readOnly: true) { connection in
                // The first statement takes the snapshot; the settings carry the scope's id and
                // the reference time to the COPY, which cannot take parameters.
                _ = try connection.query(
                    "SELECT set_config('wwctl.scope_id', $1, true), set_config('wwctl.now', coalesce($2, now()::text), true)",
                    [options.scope.id.map { String($0) } ?? "", options.referenceTime])
                options.afterSnapshot?(name)
                try emitter.prepare(connection)
                try connection.copyOut(plan.copySQL) { chunk in
                    try Interrupt.check()
                    if stale.contains(index) { throw Abandoned() }
                    try parser.parse(chunk) { row in try emitter.consume(row, &sink) }
                }
                try emitter.finish(&sink)
                try sink.flush()
            }
        } catch is Abandoned {
            // The writers report its refused keys; the rest was never produced.
        }
        return Produced(keys: sink.keys, bytes: sink.bytes)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(start, .now)
    }

    static func seconds(_ start: ContinuousClock.Instant, _ end: ContinuousClock.Instant) -> Double {
        let parts = start.duration(to: end).components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Families the writer found invalidated during this pass: the reader stops producing them.
final class StaleFamilies: Sendable {
    private let flags: Mutex<[Bool]>

    init(count: Int) {
        flags = Mutex(Array(repeating: false, count: count))
    }

    func mark(_ index: Int) { flags.withLock { $0[index] = true } }
    func contains(_ index: Int) -> Bool { flags.withLock { $0[index] } }
}

/// What the writers have done for each family. A family is finished when its reader is
/// done with it and every one of its batches has been answered (by whichever writer).
final class WarmLedger: Sendable {
    private struct State {
        var tallies: [WarmWriter.Tally]
        var batchesWritten: [Int]
        var batchesProduced: [Int?]
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(
            tallies: Array(repeating: WarmWriter.Tally(), count: count),
            batchesWritten: Array(repeating: 0, count: count),
            batchesProduced: Array(repeating: nil, count: count)))
    }

    var tallies: [WarmWriter.Tally] { state.withLock { $0.tallies } }

    /// Keys written so far, in all families, and families finished.
    var progress: (keys: Int, done: Int) {
        state.withLock { state in
            (state.tallies.reduce(0) { $0 + $1.written }, state.tallies.filter { $0.finished != nil }.count)
        }
    }

    func written(_ family: Int, written: Int, present: Int, skipped: Int) {
        state.withLock { state in
            state.tallies[family].written += written
            state.tallies[family].present += present
            state.tallies[family].skipped += skipped
            state.batchesWritten[family] += 1
            Self.finishIfComplete(&state, family)
        }
    }

    func produced(_ family: Int, bytes: Int, batches: Int) {
        state.withLock { state in
            state.tallies[family].bytes = bytes
            state.batchesProduced[family] = batches
            Self.finishIfComplete(&state, family)
        }
    }

    private static func finishIfComplete(_ state: inout State, _ family: Int) {
        guard state.tallies[family].finished == nil, let produced = state.batchesProduced[family],
              state.batchesWritten[family] >= produced
        else { return }
        state.tallies[family].finished = .now
    }
}

/// A writer thread's loop: takes batches off the queue, several per round trip, until
/// the reader closes it.
private final class WriterJob: @unchecked Sendable {
    let writer: WarmWriter
    let queue: WarmQueue
    let lock: WarmLock?
    let ledger: WarmLedger
    let names: [String]
    let options: WarmOptions
    let stale: StaleFamilies

    init(
        writer: WarmWriter, queue: WarmQueue, lock: WarmLock?, ledger: WarmLedger, names: [String], options: WarmOptions,
        stale: StaleFamilies
    ) {
        self.writer = writer
        self.queue = queue
        self.lock = lock
        self.ledger = ledger
        self.names = names
        self.options = options
        self.stale = stale
    }

    func run() throws {
        var batches: [WarmBatch] = []
        while true {
            if let lost = lock?.lost { throw lost }
            try Interrupt.check()
            let items = try queue.pop(upTo: options.batchesPerRoundTrip, byteLimit: options.roundTripBytes)
            if items.isEmpty { return }
            batches.removeAll(keepingCapacity: true)
            for case .batch(let batch) in items { batches.append(batch) }
            let outcomes = try writer.write(batches)
            for (batch, outcome) in zip(batches, outcomes) {
                switch outcome {
                case .written(let count):
                    ledger.written(batch.family, written: count, present: batch.count - count, skipped: 0)
                case .refused:
                    stale.mark(batch.family)
                    ledger.written(batch.family, written: 0, present: 0, skipped: batch.count)
                }
            }
            for case .familyDone(let index, let bytes, let count) in items {
                ledger.produced(index, bytes: bytes, batches: count)
            }
            if let progress = options.progress, let last = batches.last {
                let (keys, done) = ledger.progress
                progress(WarmProgress(family: names[last.family], keys: keys, familiesDone: done, familyCount: names.count))
            }
        }
    }
}
