import Postgres
import Support

/// Applies the migrations a binary carries and reports which are applied.
///
/// `migrate` holds a session advisory lock for its whole run, so two runs at once are safe:
/// the second waits for the first, then finds nothing left to do. Each migration runs in its
/// own transaction together with its `schema_migrations` row, so a failing migration leaves
/// no trace and the ones before it stay applied.
public final class Migrator {
    public let connection: PostgresConnection
    public let migrations: [Migration]

    /// Key of the advisory lock held while migrating ("wwctlmig").
    public static let lockKey: Int64 = 0x7777_6374_6C6D_6967

    /// `migrations` defaults to those this binary carries; they must have distinct,
    /// increasing versions.
    public init(_ connection: PostgresConnection, migrations: [Migration] = Migrations.all) {
        self.connection = connection
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies every pending migration in version order. `progress` hears about each one
    /// before it starts and after it is applied.
    @discardableResult
    public func migrate(progress: (MigrationEvent) -> Void = { _ in }) throws -> MigrationReport {
        try validateVersions()
        try connection.execute("SELECT pg_advisory_lock($1)", [Self.lockKey])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }

        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                checksum    text NOT NULL
            )
            """)
        let applied = try appliedMigrations()
        try verify(applied)

        var report = MigrationReport(applied: [], alreadyCurrent: true, currentVersion: applied.keys.max() ?? 0)
        for migration in migrations where applied[migration.version] == nil {
            report.alreadyCurrent = false
            progress(.starting(migration))
            let start = ContinuousClock.now
            let statements = SQLScript.statements(in: migration.sql)
            do {
                // DDL on a large table may take long: no statement timeout, the lock timeout kept.
                try connection.bulk { try connection.transaction { connection in
                    for statement in statements { try connection.execute(statement) }
                    try connection.execute(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [migration.version, migration.name, migration.checksum])
                } }
            } catch let error as any CategorizedError {
                throw MigrationError.failed(migration, reason: error.message, category: error.category)
            }
            let elapsed = start.duration(to: .now)
            report.applied.append(AppliedMigration(version: migration.version, name: migration.name, elapsed: elapsed))
            report.currentVersion = migration.version
            progress(.applied(migration, elapsed))
        }
        return report
    }

    /// Every migration the binary carries and every one the database recorded, by version.
    public func status() throws -> [MigrationStatus] {
        try validateVersions()
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        let applied = exists.first?.bool("present") == true ? try appliedMigrations() : [:]
        var rows: [MigrationStatus] = []
        for migration in migrations {
            let record = applied[migration.version]
            rows.append(MigrationStatus(
                version: migration.version, name: migration.name, appliedAt: record?.appliedAt,
                isPending: record == nil, checksumMatches: record.map { $0.checksum == migration.checksum } ?? true,
                isKnown: true))
        }
        let known = Set(migrations.map(\.version))
        for (version, record) in applied where !known.contains(version) {
            rows.append(MigrationStatus(
                version: version, name: record.name, appliedAt: record.appliedAt, isPending: false,
                checksumMatches: true, isKnown: false))
        }
        return rows.sorted { $0.version < $1.version }
    }

    /// True when every migration this binary carries is applied (and none was changed).
    public func isCurrent() throws -> Bool {
        try status().allSatisfy { !$0.isPending && $0.checksumMatches }
    }

    private struct Record {
        let name: String
        let appliedAt: String
        let checksum: String
    }

    private func appliedMigrations() throws -> [Int: Record] {
        var records: [Int: Record] = [:]
        for row in try connection.query("SELECT version, name, applied_at, checksum FROM schema_migrations") {
            records[try row.requiredInt("version")] = Record(
                name: try row.requiredString("name"), appliedAt: try row.requiredIsoTimestamp("applied_at"),
                checksum: try row.requiredString("checksum"))
        }
        return records
    }

    private func verify(_ applied: [Int: Record]) throws {
        for migration in migrations {
            if let record = applied[migration.version], record.checksum != migration.checksum {
                throw MigrationError.checksumMismatch(migration)
            }
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.keys.filter({ !known.contains($0) }).max(), unknown > (migrations.last?.version ?? 0) {
            throw MigrationError.databaseIsNewer(version: unknown, binaryLatest: migrations.last?.version ?? 0)
        }
    }

    private func validateVersions() throws {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw WWError.internalError("migration versions must be distinct and positive (\(migration.version))")
            }
            previous = migration.version
        }
    }
}

/// What `migrate` did.
public struct MigrationReport: Sendable, Equatable {
    /// The migrations applied by this run, in order.
    public var applied: [AppliedMigration]
    /// Nothing was pending.
    public var alreadyCurrent: Bool
    /// The highest applied version afterwards (0: none).
    public var currentVersion: Int
}

public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let elapsed: Duration
}

public enum MigrationEvent: Sendable {
    case starting(Migration)
    case applied(Migration, Duration)
}

/// One line of `wwctl db status`.
public struct MigrationStatus: Sendable, Equatable {
    public let version: Int
    public let name: String
    /// ISO-8601 UTC; nil while pending.
    public let appliedAt: String?
    public let isPending: Bool
    /// False when the applied migration's recorded checksum differs from this binary's SQL.
    public let checksumMatches: Bool
    /// False for a version the database recorded but this binary does not carry.
    public let isKnown: Bool
}

public enum MigrationError: CategorizedError, Equatable {
    case failed(Migration, reason: String, category: ErrorCategory)
    case checksumMismatch(Migration)
    case databaseIsNewer(version: Int, binaryLatest: Int)

    public var category: ErrorCategory {
        switch self {
        case .failed(_, _, let category): category
        case .checksumMismatch, .databaseIsNewer: .dataError
        }
    }

    public var message: String {
        switch self {
        case .failed(let migration, let reason, _):
            "migration \(migration.version) (\(migration.name)) failed and was rolled back: \(reason)"
        case .checksumMismatch(let migration):
            "migration \(migration.version) (\(migration.name)) was applied with different SQL than this wwctl carries"
                + " (checksum mismatch); add a new migration instead of editing an applied one"
        case .databaseIsNewer(let version, let latest):
            "the database has migration \(version) applied, newer than this wwctl knows (\(latest)); use a newer wwctl"
        }
    }
}
