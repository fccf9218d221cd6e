import CacheOps
import Keyspace
import Postgres
import Redis
import Support

/// How an orgs or perms mutation runs: `--dry-run`, `--sweep`, and whether to list the
/// keys in the report.
public struct AccessMutationOptions: Sendable {
    /// Compute the change and the keys it would invalidate; write and delete nothing.
    public var dryRun: Bool
    /// Also sweep the affected family patterns (`BoundKeyspace.sweepPlan`): an
    /// operator's explicit request, since each sweep walks the whole keyspace.
    public var sweep: Bool
    /// Put the keys in the report (a dry run always lists those that exist).
    public var listKeys: Bool

    public init(dryRun: Bool = false, sweep: Bool = false, listKeys: Bool = false) {
        self.dryRun = dryRun
        self.sweep = sweep
        self.listKeys = listKeys
    }
}

/// Runs one mutating domain command (orgs, perms, products) the same way every time:
///
/// 1. the body validates, locks, changes the rows and reads the facts the invalidation
///    needs, all in one transaction, which also gets the audit row; a deadlock or
///    serialization failure runs the whole transaction again (`withRetry`);
/// 2. the registry turns the `DataChange`s into a plan (inside the transaction, so a plan
///    that cannot be made aborts the change);
/// 3. after COMMIT, `PlanExecutor` bumps the families' epochs and deletes the keys by
///    name (sweeping only what cannot be enumerated, or what `--sweep` asks for). A
///    failure there is reported as "committed but…", naming the audit row and what may
///    be stale.
///
/// A dry run runs the body (which writes nothing it does not need to, and takes no locks
/// it does not need) in a transaction that is rolled back, writes no audit row, and only
/// counts the keys that exist. A change the body reports `unchanged` (the state asked
/// for already holds: a price the product has, a role the member has, an active org
/// activated) writes no audit row and invalidates nothing, and succeeds, so that a retried
/// runbook step passes.
struct MutationRunner {
    let postgres: PostgresConnection
    let redis: RedisConnection
    /// Where the plan's keys and the families' epochs live.
    let keyspace: BoundKeyspace
    let actor: String

    /// What a body reports: the audit target and details, and what changed.
    struct Change {
        var target: AuditTarget
        var details: JSONValue
        var dataChanges: [DataChange]
        /// Nothing to change (and nothing written): no audit row, no invalidation, and
        /// the report's change says `"unchanged": true`.
        var unchanged = false
    }

    /// `runSweeps: false` deletes only the keys named (see `PlanExecutor.apply`).
    func run(
        command: String, options: AccessMutationOptions, runSweeps: Bool = true,
        _ body: (_ db: PostgresConnection, _ dryRun: Bool) throws -> Change
    ) throws -> MutationReport {
        let (change, plan, auditId) = try postgres.withRetry {
            try transaction(rollingBack: options.dryRun) { db -> (Change, InvalidationPlan, Int64?) in
                let change = try body(db, options.dryRun)
                if change.unchanged { return (change, InvalidationPlan(), nil) }
                var plan = try keyspace.plan(for: change.dataChanges)
                if options.sweep {
                    plan.merge(try keyspace.sweepPlan(for: change.dataChanges))
                }
                let auditId = options.dryRun
                    ? nil
                    : try AuditLog.append(
                        AuditEntry(actor: actor, command: command, target: change.target, details: change.details), on: db)
                return (change, plan, auditId)
            }
        }
        let outcome: PlanOutcome
        do {
            outcome = try PlanExecutor(redis: redis, keyspace: keyspace)
                .apply(plan, dryRun: options.dryRun, listKeys: options.dryRun || options.listKeys, runSweeps: runSweeps)
        } catch let error as any CategorizedError where !options.dryRun {
            // The change is committed: say so, and what is left to do.
            throw WWError(
                error.category,
                "\(command) \(change.target) committed (audit \(auditId.map(String.init) ?? "-")) but its cache invalidation failed: "
                    + "\(error.message); \(plan.keys.count) keys of \(plan.families.joined(separator: ", ")) may be stale")
        }
        return MutationReport(
            command: command, target: change.target.description, change: Self.marking(change.details, unchanged: change.unchanged),
            dryRun: options.dryRun, auditId: auditId, invalidation: outcome)
    }

    /// An unchanged request says so in its change.
    static func marking(_ change: JSONValue, unchanged: Bool) -> JSONValue {
        guard unchanged, case .object(let members) = change else { return change }
        return .object(members + [("unchanged", .bool(true))])
    }

    /// `body` in a transaction that commits, or with `rollingBack`, is always rolled back.
    private func transaction<T>(rollingBack: Bool, _ body: (PostgresConnection) throws -> T) throws -> T {
        guard rollingBack else { return try postgres.transaction(body) }
        var value: T?
        do {
            try postgres.transaction { db -> Void in
                value = try body(db)
                throw DryRunRollback()
            }
        } catch is DryRunRollback {}
        guard let value else { throw WWError.internalError("dry run produced no result") }
        return value
    }
}

extension MutationRunner {
    /// The runner of a service whose Redis connection is optional (its reads need none):
    /// a mutation without one is an internal error, `service` saying whose.
    init(postgres: PostgresConnection, redis: RedisConnection?, keyspace: BoundKeyspace, actor: String, service: String) throws {
        guard let redis else { throw WWError.internalError("\(service): a mutation needs a Redis connection for its invalidation") }
        self.init(postgres: postgres, redis: redis, keyspace: keyspace, actor: actor)
    }
}

/// Thrown to roll a dry run's transaction back.
private struct DryRunRollback: Error {}
