import Keyspace
import Redis
import Support

/// What applying an invalidation plan did (or, in a dry run, would do).
public struct PlanOutcome: Sendable, Encodable {
    public struct Sweep: Sendable, Encodable {
        public var pattern: String
        public var scanned: Int
        public var matched: Int
        public var deleted: Int
        /// Wall time of the walk, in milliseconds.
        public var elapsedMs: Double = 0
        /// How many of the plan's selectors this walk served (see `PlanExecutor.apply`).
        public var selectors: Int = 1
    }

    /// Keys named by the plan.
    public var keysNamed: Int
    /// Of those, how many existed and were deleted (dry run: how many exist).
    public var deletedByName: Int
    /// The SCAN sweeps, reported separately: they walk the whole keyspace.
    public var sweeps: [Sweep]
    /// Sweep patterns of the plan that were not run (`runSweeps: false`, or after Ctrl-C).
    public var skippedSweeps: [String] = []
    /// Wall time of the enumerated part (epoch bump and deletion by name; in a dry run, the
    /// existence check), in milliseconds.
    public var byNameMs: Double = 0
    /// Wall time of all sweeps, in milliseconds.
    public var sweepMs: Double = 0
    public var families: [String]
    public var dryRun: Bool
    /// With `verbose`, the keys named (dry run: those that exist).
    public var keys: [String]?
    /// Wall-clock time of `apply`: epochs, deletions by name and sweeps, in milliseconds.
    public var elapsedMs: Double = 0
    /// Ctrl-C stopped the sweeps: the last one in `sweeps` is partial and the plan's later
    /// walks did not run (`skippedSweeps`); the deletions reported stand.
    public var interrupted = false

    /// Every key deleted, by name and by sweeps.
    public var deleted: Int { deletedByName + sweeps.reduce(0) { $0 + $1.deleted } }
}

/// Applies a registry `InvalidationPlan` to Redis: bumps the epochs of the enumerated
/// keys (so a concurrent warm cannot write back a value older than the change) and
/// deletes them by name, then bumps the swept families' epochs and runs the sweeps for
/// what cannot be enumerated, recording which keys they deleted.
public struct PlanExecutor {
    public let redis: RedisConnection
    /// Where the touched families' epochs live.
    public let keyspace: BoundKeyspace

    public init(redis: RedisConnection, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    private var epochs: InvalidationEpochs { InvalidationEpochs(redis: redis, keyspace: keyspace) }

    /// Where the outcome's durations are read from; a test sets a clock of its own.
    var now: () -> ContinuousClock.Instant = { ContinuousClock.now }

    /// `runSweeps: false` deletes only the enumerated keys and lists the sweeps it skipped.
    /// Ctrl-C (`Interrupt`) stops the sweeps between batches and returns what was done,
    /// with `interrupted` set: the caller reports it and exits 130.
    public func apply(_ plan: InvalidationPlan, dryRun: Bool = false, listKeys: Bool = false, runSweeps: Bool = true) throws -> PlanOutcome {
        var outcome = PlanOutcome(keysNamed: plan.keys.count, deletedByName: 0, sweeps: [], families: plan.families, dryRun: dryRun, keys: nil)
        let start = now()
        if dryRun {
            let existing = try KeyDeleter(redis: redis).existing(plan.keys)
            outcome.deletedByName = existing.count
            if listKeys { outcome.keys = existing.map(Self.text) }
        } else {
            try epochs.bump(keys: plan.keys)
            outcome.deletedByName = try KeyDeleter(redis: redis).delete(plan.keys)
            if listKeys { outcome.keys = plan.keys.map(Self.text) }
        }
        let byNameEnd = now()
        outcome.byNameMs = (byNameEnd - start).roundedMilliseconds
        guard runSweeps else {
            outcome.skippedSweeps = plan.sweeps
            outcome.elapsedMs = outcome.byNameMs
            return outcome
        }
        let walks = Self.walks(plan.selectors)
        // Every slot of the swept families first; the keys each walk deleted afterwards.
        let sweeping = ChangeRecord.selectors(plan.selectors)
        var swept = dryRun ? nil : SweptKeys(try epochs.bump(sweeping), families: sweeping.selectorFamilies, in: keyspace)
        defer { if let swept { try? epochs.bump(swept.record) } }
        for (index, walk) in walks.enumerated() {
            let sweepStart = now()
            // Plan sweeps are selective (org:search:*, refunds:org:7:*): an adaptive COUNT
            // walks the keyspace in few round trips.
            let report = try KeySweeper(redis: redis, count: 1_000, adaptiveCount: KeySweeper.adaptiveRange).sweep(
                pattern: walk.pattern, dryRun: dryRun, accept: { walk.selectors.matches($0) },
                onMatch: { swept?.add($0) })
            outcome.sweeps.append(.init(
                pattern: Self.text(walk.pattern), scanned: report.scanned, matched: report.matched, deleted: report.deleted,
                elapsedMs: (now() - sweepStart).roundedMilliseconds, selectors: walk.selectors.selectors.count))
            if report.interrupted {
                outcome.interrupted = true
                outcome.skippedSweeps = walks[(index + 1)...].map { Self.text($0.pattern) }
                break
            }
        }
        outcome.sweepMs = (now() - byNameEnd).roundedMilliseconds
        outcome.elapsedMs = (now() - start).roundedMilliseconds
        return outcome
    }

    /// A key or pattern in a report: the plan's keys are the app's, UTF-8 text.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The SCAN walks for `selectors`: one per selector, except that the selectors of one
    /// family share a walk over the family's pattern (every walk reads the whole keyspace,
    /// so an org's new rate sweeps the commission keys of its hundreds of products in one).
    static func walks(_ selectors: [KeySelector]) -> [(pattern: [UInt8], selectors: KeySelectorSet)] {
        struct Group: Hashable {
            var family: String
            var prefix: KeyPrefix
        }
        var order: [Group] = []
        var byFamily: [Group: [KeySelector]] = [:]
        for selector in selectors {
            let group = Group(family: selector.family.name, prefix: selector.prefix)
            if byFamily[group] == nil { order.append(group) }
            byFamily[group, default: []].append(selector)
        }
        return order.compactMap { byFamily[$0] }.flatMap { group -> [(pattern: [UInt8], selectors: KeySelectorSet)] in
            let set = KeySelectorSet(group)
            if group.count > 1, let pattern = set.commonPattern { return [(pattern, set)] }
            return group.map { ($0.pattern, KeySelectorSet([$0])) }
        }
    }
}
