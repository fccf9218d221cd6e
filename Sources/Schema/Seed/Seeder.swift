import Postgres
import Support

/// Fills a migrated database with a realistic, deterministic marketplace (`wwctl db seed`).
///
/// The same scale and seed give identical rows, ids included, on every machine: rows come
/// from SplitMix64 generators keyed by (seed, entity), with timestamps relative to a fixed
/// anchor (`SeedCalendar.anchor`, 2026-11-15 12:00 UTC). Rows are generated one at a time
/// and loaded with COPY, all in one transaction (a failed or interrupted seed leaves the
/// database as it was), then the identity sequences are moved past the loaded ids and the
/// tables analyzed.
///
/// What the data looks like:
/// - vendors Zipf-sized: a few with thousands of products, a long tail with a few dozen;
///   ~7 % of organizations pending (recent applicants, draft products only, no sales) and
///   ~6 % suspended (no sales after their suspension);
/// - each organization has an owner and a team sized like the vendor; staff users are in
///   one to three organizations; most users are customers only;
/// - a year of orders growing over time, multi-vendor, with per-item commission from the
///   commission rules (`effective_commission_rate`), refunds, and monthly payouts;
/// - ledger entries consistent with all of it: each vendor's balance is the sum of its
///   ledger, most active vendors hold a positive available balance.
public final class Seeder {
    public let connection: PostgresConnection

    /// Key of the advisory lock held while seeding ("wwctlsed").
    public static let lockKey: Int64 = 0x7777_6374_6C73_6564

    public init(_ connection: PostgresConnection) {
        self.connection = connection
    }

    /// The tables `seed` fills (and `force` empties). The role and permission catalog and
    /// `schema_migrations` are reference data from the migrations and are never touched.
    public static let dataTables: [String] = SeedGenerator.tableNames

    /// Seeds the database. Throws `.dataError` when the schema is not current or when a data
    /// table already holds rows and `force` is false; `.temporaryFailure` when another seed
    /// is running. With `force`, the data tables are emptied first (in the same transaction).
    @discardableResult
    public func seed(
        scale: SeedScale, seed: UInt64 = 1, force: Bool = false, progress: (SeedProgress) -> Void = { _ in }
    ) throws -> SeedReport {
        let start = ContinuousClock.now
        try requireCurrentSchema()
        let world = SeedWorld(scale: scale, seed: seed)
        var counts: [SeedReport.TableCount] = []

        // Loading and emptying tables takes as long as it takes: no statement timeout.
        try connection.bulk { try connection.transaction { connection in
            let locked = try connection.query("SELECT pg_try_advisory_xact_lock($1) AS locked", [Self.lockKey])
            guard locked.first?.bool("locked") == true else {
                throw WWError.temporaryFailure("another wwctl db seed is running on postgres \(connection.address)")
            }
            if force {
                try connection.execute(
                    "TRUNCATE \(Self.dataTables.joined(separator: ", ")) RESTART IDENTITY CASCADE")
            } else {
                let occupied = try tablesWithRows()
                if !occupied.isEmpty {
                    throw WWError.dataError(
                        "postgres \(connection.address): the database already holds data (\(occupied.joined(separator: ", ")));"
                            + " use --force to empty it and seed again")
                }
            }

            let generator = SeedGenerator(world: world, roleIDs: try roleIDs())
            for table in generator.tables() {
                // A table loaded in two parts (the ledger: sales, then payouts) counts on.
                let before = counts.first { $0.table == table.name }?.rows ?? 0
                let total = before + table.expectedRows()
                let step = max(1, total / 200)
                progress(SeedProgress(table: table.name, done: before, total: total))
                var done = before
                let loaded = try connection.copyIn(table.copySQL) { writer in
                    try table.generate { row in
                        try writer.write(row)
                        done += 1
                        if done % step == 0 && done < total {
                            progress(SeedProgress(table: table.name, done: done, total: total))
                        }
                    }
                }
                progress(SeedProgress(table: table.name, done: before + loaded, total: max(total, before + loaded)))
                if let index = counts.firstIndex(where: { $0.table == table.name }) {
                    counts[index].rows += loaded
                } else {
                    counts.append(SeedReport.TableCount(table: table.name, rows: loaded))
                }
            }
            for table in Self.dataTables {
                _ = try connection.query(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)",
                    [table])
            }
        } }
        progress(SeedProgress(table: "analyze", done: 0, total: 1))
        try connection.bulk { try connection.execute("ANALYZE") }
        progress(SeedProgress(table: "analyze", done: 1, total: 1))
        return SeedReport(scale: scale, seed: seed, tables: counts, elapsed: start.duration(to: .now))
    }

    /// The data tables that hold at least one row, in load order.
    public func tablesWithRows() throws -> [String] {
        // One row of EXISTS, column i for table i: the names appear as identifiers only.
        let probe = "SELECT " + Self.dataTables.map { "EXISTS (SELECT 1 FROM \($0))" }.joined(separator: ", ")
        let row = try connection.query(probe)[0]
        return try Self.dataTables.indices.filter { try row.requiredBool($0) }.map { Self.dataTables[$0] }
    }

    private func requireCurrentSchema() throws {
        let pending = try Migrator(connection).status().filter { $0.isPending || !$0.checksumMatches }
        guard pending.isEmpty else {
            throw WWError.dataError(
                "postgres \(connection.address): the schema is not current (pending migrations: "
                    + pending.map { String($0.version) }.joined(separator: ", ") + "); run wwctl db migrate first")
        }
    }

    private func roleIDs() throws -> [Int] {
        var byName: [String: Int] = [:]
        for row in try connection.query("SELECT id, name FROM roles") {
            byName[try row.requiredString("name")] = try row.requiredInt("id")
        }
        return try SeedWorld.roleNames.map { name in
            guard let id = byName[name] else {
                throw WWError.dataError("postgres \(connection.address): role '\(name)' is missing from the roles table")
            }
            return id
        }
    }
}

/// Where `seed` is: `done` of `total` rows of `table` (`analyze` at the end).
public struct SeedProgress: Sendable, Equatable {
    public let table: String
    public let done: Int
    public let total: Int
}

/// What `seed` loaded.
public struct SeedReport: Sendable, Equatable {
    public struct TableCount: Sendable, Equatable {
        public let table: String
        public var rows: Int
    }

    public let scale: SeedScale
    public let seed: UInt64
    /// Rows per table, in load order.
    public let tables: [TableCount]
    public let elapsed: Duration

    public func rows(in table: String) -> Int {
        tables.first { $0.table == table }?.rows ?? 0
    }

    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
}
