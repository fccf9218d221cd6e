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
    /// How the writes are guarded against concurrent changes.
    public var guardMode: WarmGuard = .changeLog
    /// Re-warm passes at most, each over the keys refused (or deleted by a change after
    /// this warm wrote them) since the previous one, from a snapshot taken after those
    /// changes; 0 reports refused keys without re-warming them.
    public var rewarmRounds = 3
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
    /// Called on the reader's thread with the family's name once a pass's PostgreSQL
    /// snapshot is taken (the first pass's and each re-warm pass's), before its rows are
    /// read. For tests, which use it to commit a concurrent change at a known point.
    public var afterSnapshot: (@Sendable (String) -> Void)?
    /// Called on the writer's thread after each round trip (a terminal's progress line).
    public var progress: (@Sendable (WarmProgress) -> Void)?
    /// Called on the reader's thread after the last write, before the run reads the change
    /// log a last time to account for what changes deleted. For tests, which stop their
    /// changes there so that the report can be compared with the server.
    public var beforeFinalAccount: (@Sendable () -> Void)?

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

/// Warms Redis from PostgreSQL: for each family, one streamed COPY whose rows become the
/// app's keys and values, written by SET … PX (NX with `onlyMissing`) in pipelined,
/// epoch-guarded batches.
///
/// Reading and writing overlap: the calling thread reads PostgreSQL and builds batches
/// into a bounded queue; writer threads with connections of their own send them, several
/// per round trip. Memory is bounded by the queue (and the largest single value), not by
/// the key count.
///
/// Consistency with concurrent changes (docs/ARCHITECTURE.md, "Fine-grained epochs"):
/// each family's pass reads the change log's position (and, guarded per slot, the slots'
/// epochs) before its REPEATABLE READ snapshot, and its batches are written only where no
/// change since touched the keys. The keys refused, and the keys a change deleted after
/// this warm wrote them, are read again from a new snapshot (only their entities), up to
/// `rewarmRounds` times; what is still refused is reported (`unwarmed`, `incomplete`).
///
/// Cron safety: a `WarmLock` per scope, held and renewed for the whole run (not in a dry run).
public final class CacheWarmer {
    public let postgres: PostgresConnection
    /// Reads the change log; the writers and the lock open connections of their own to the same server.
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace

    public init(postgres: PostgresConnection, redis: RedisConnection, keyspace: BoundKeyspace) {
        self.postgres = postgres
        self.redis = redis
        self.keyspace = keyspace
    }

    /// Warms as `options` say. A run stopped part-way (Ctrl-C, a server lost, the lock
    /// lost) throws `WarmFailure`, which carries what it wrote; usage and data errors found
    /// before anything is written are thrown as they are.
    public func run(_ options: WarmOptions) throws -> WarmReport {
        let started = ContinuousClock.now
        let selection = try options.validate()
        let plans = try WarmSources.plans(selection.families, scope: options.scope.kind)
        try options.scope.requireEntity(postgres)
        let run = WarmRun(self, options: options, selection: selection, plans: plans, started: started)
        return try run.perform()
    }

    func connection() throws -> RedisConnection {
        try RedisConnection(url: redis.url, connectTimeout: redis.connectTimeout, commandTimeout: redis.commandTimeout)
    }

    struct Produced {
        var keys: Int
        var bytes: Int
        var batches: Int
    }

    /// Thrown inside a family's COPY to stop reading a family invalidated as a whole.
    private struct Abandoned: Error {}

    /// Reads one pass's rows from PostgreSQL in its own REPEATABLE READ snapshot and hands
    /// its batches to `deliver`. A re-warm pass reads only the rows of `entities`.
    func produce(
        _ plan: WarmPlan, pass: WarmPass, entities: WarmEntityFilter?, options: WarmOptions,
        deliver: @escaping (WarmBatch) throws -> Void
    ) throws -> Produced {
        let emitter = try WarmEmitter(plan, in: keyspace)
        var parser = CopyRowParser(columns: plan.columnCount)
        var batches = 0
        var sink = WarmSink(
            pass: pass, maxKeys: options.batchKeys, maxBytes: options.batchBytes, dryRun: options.dryRun,
            jitter: TTLJitter(fraction: options.ttlJitter),
            deliver: { batch in
                try deliver(batch)
                batches += 1
            })
        let copySQL = try entities.map { try plan.copySQL(where: $0.condition) } ?? plan.copySQL
        do {
            try postgres.transaction(isolation: .repeatableRead, readOnly: true) { connection in
                // The first statement takes the snapshot; the settings carry the scope's id,
                // the reference time and a re-warm's entities to the COPY, which cannot take
                // parameters.
                var sql = "SELECT set_config('wwctl.scope_id', $1, true), set_config('wwctl.now', coalesce($2, now()::text), true)"
                var values: [(any PostgresBindable)?] = [options.scope.id.map { String($0) } ?? "", options.referenceTime]
                for (index, value) in (entities?.settings ?? []).enumerated() {
                    sql += ", set_config('wwctl.rewarm_\(index)', $\(values.count + 1), true)"
                    values.append(value)
                }
                _ = try connection.query(sql, values)
                options.afterSnapshot?(plan.family.name)
                try emitter.prepare(connection)
                try connection.copyOut(copySQL) { chunk in
                    try Interrupt.check()
                    if pass.isRefusedAll { throw Abandoned() }
                    try parser.parse(chunk) { row in try emitter.consume(row, &sink) }
                }
                try emitter.finish(&sink)
                try sink.flush()
            }
        } catch is Abandoned {
            // The writers count what it refused; the rest was never produced.
        }
        return Produced(keys: sink.keys, bytes: sink.bytes, batches: batches)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(start, .now)
    }

    static func seconds(_ start: ContinuousClock.Instant, _ end: ContinuousClock.Instant) -> Double {
        let parts = start.duration(to: end).components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
