import Postgres
import Support

/// One row of `audit_log`: who did what to which target, with details. Every mutating
/// domain command appends one in the same transaction as its change, so the audit trail
/// and the data can never disagree.
public struct AuditEntry: Sendable {
    public var actor: String
    /// The command as typed, e.g. `orgs set-role`.
    public var command: String
    /// What it changed, e.g. `.membership(orgId: 7, userId: 42)`, stored as `org:7 user:42`.
    public var target: AuditTarget
    public var details: JSONValue

    public init(actor: String, command: String, target: AuditTarget, details: JSONValue) {
        self.actor = actor
        self.command = command
        self.target = target
        self.details = details
    }
}

public enum AuditLog {
    /// Appends `entry`; call inside the change's transaction. Returns the row id.
    @discardableResult
    public static func append(_ entry: AuditEntry, on connection: PostgresConnection) throws -> Int64 {
        let row = try connection.query(
            "INSERT INTO audit_log (actor, command, target, details) VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
            [entry.actor, entry.command, entry.target.description, entry.details.compactText])
        return try row[0].requiredInt64("id")
    }
}
