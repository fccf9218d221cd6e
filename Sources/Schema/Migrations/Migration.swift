import Support

/// One versioned change to the database schema, carried inside the binary as SQL text.
///
/// A migration runs in its own transaction and, once applied, is recorded in
/// `schema_migrations` with the checksum of its SQL. Applied migrations are history: editing
/// one makes its checksum differ from the recorded one, which `Migrator` reports as an
/// error instead of silently running against a schema it no longer describes. Changes go
/// into a new migration with the next version.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text, lowercase hex.
    public var checksum: String { SHA256.hexDigest(of: Array(sql.utf8)) }
}

/// The migrations this binary carries, in version order.
public enum Migrations {
    public static let all: [Migration] = [
        m0001InitialSchema,
        m0002RolesAndPermissions,
        m0003CommissionCycleGuard,
    ]

    /// The newest version this binary knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
