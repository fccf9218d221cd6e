import CacheOps
import Support

/// What a mutating domain command did: the change, its audit row, and the cache keys it
/// invalidated (after commit). With `--dry-run`, nothing was written or deleted: `change`
/// is what would change and `invalidation` counts the keys that would be deleted.
public struct MutationReport: Sendable, Encodable {
    public var command: String
    public var target: String
    /// The change, e.g. `{"before": {...}, "after": {...}}`.
    public var change: JSONValue
    public var dryRun: Bool
    /// The audit row written (nil in a dry run).
    public var auditId: Int64?
    public var invalidation: PlanOutcome

    public init(command: String, target: String, change: JSONValue, dryRun: Bool, auditId: Int64?, invalidation: PlanOutcome) {
        self.command = command
        self.target = target
        self.change = change
        self.dryRun = dryRun
        self.auditId = auditId
        self.invalidation = invalidation
    }
}
