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
    }

    /// Keys named by the plan.
    public var keysNamed: Int
    /// Of those, how many existed and were deleted (dry run: how many exist).
    public var deletedByName: Int
    /// The SCAN sweeps, reported separately: they walk the whole keyspace.
    public var sweeps: [Sweep]
    public var families: [String]
    public var dryRun: Bool
    /// With `verbose`, the keys named (dry run: those that exist).
    public var keys: [String]?

    /// Every key deleted, by name and by sweeps.
    public var deleted: Int { deletedByName + sweeps.reduce(0) { $0 + $1.deleted } }
}

/// Applies a registry `InvalidationPlan` to Redis: bumps the touched families' epochs
/// (so a concurrent warm cannot write back a value older than the change), deletes the
/// enumerated keys by name, then runs the sweeps for what cannot be enumerated.
public struct PlanExecutor {
    public let redis: RedisConnection
    public let prefix: String

    public init(redis: RedisConnection, prefix: String) {
        self.redis = redis
        self.prefix = prefix
    }

    public func apply(_ plan: InvalidationPlan, dryRun: Bool = false, listKeys: Bool = false) throws -> PlanOutcome {
        var outcome = PlanOutcome(keysNamed: plan.keys.count, deletedByName: 0, sweeps: [], families: plan.families, dryRun: dryRun, keys: nil)
        if dryRun {
            let existing = try existingKeys(plan.keys)
            outcome.deletedByName = existing.count
            if listKeys { outcome.keys = existing }
        } else {
            try InvalidationEpochs.bump(redis, families: plan.families, prefix: prefix)
            outcome.deletedByName = try KeyDeleter(redis: redis).delete(plan.keys)
            if listKeys { outcome.keys = plan.keys }
        }
        for selector in plan.selectors {
            // Plan sweeps are selective (org:search:*, refunds:org:7:*): an adaptive COUNT
            // walks the keyspace in few round trips.
            let report = try KeySweeper(redis: redis, count: 1_000, adaptiveCount: KeySweeper.adaptiveRange).sweep(
                pattern: Array(selector.pattern.utf8), dryRun: dryRun, accept: { selector.matches($0) })
            outcome.sweeps.append(.init(pattern: selector.pattern, scanned: report.scanned, matched: report.matched, deleted: report.deleted))
            if report.interrupted { throw WWError.interrupted }
        }
        return outcome
    }

    /// The keys of `keys` that exist (pipelined EXISTS).
    private func existingKeys(_ keys: [String]) throws -> [String] {
        var existing: [String] = []
        try redis.pipelined(keys.lazy.map { ["EXISTS", $0] as [any RedisArgument] }) { index, reply in
            if reply.int == 1 { existing.append(keys[index]) }
        }
        return existing
    }
}
