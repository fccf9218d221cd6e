import ArgumentParser
import Postgres
import Schema
import Support

struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate, inspect and seed the marketplace database.",
        discussion: """
            Example:
              wwctl db migrate && wwctl db status && wwctl db seed --scale tiny
            """,
        subcommands: [DBMigrateCommand.self, DBStatusCommand.self, DBSeedCommand.self])
}

struct DBMigrateCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations (idempotent; safe when two run at once).",
        discussion: """
            Each migration runs in its own transaction and is recorded in schema_migrations. \
            An advisory lock makes a second concurrent run wait, then find nothing to do.

            Example:
              wwctl db migrate
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) throws {
        let migrator = Migrator(try context.postgres())
        let report = try migrator.migrate { event in
            if case .starting(let migration) = event {
                context.output.detail("applying \(migration.version) \(migration.name)")
            }
        }
        try context.output.emit(MigrateResult(
            applied: report.applied.map {
                .init(version: $0.version, name: $0.name, elapsedMs: $0.elapsed.roundedMilliseconds)
            },
            currentVersion: report.currentVersion,
            alreadyCurrent: report.alreadyCurrent))
    }
}

struct DBStatusCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List applied and pending migrations (exit 0 when current, 1 when some are pending).",
        discussion: """
            Example:
              wwctl db status -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) throws {
        let statuses = try Migrator(try context.postgres()).status()
        let result = DBStatusResult(
            current: !statuses.contains { $0.isPending || !$0.checksumMatches || !$0.isKnown },
            migrations: statuses.map {
                .init(version: $0.version, name: $0.name, appliedAt: $0.appliedAt, pending: $0.isPending,
                      checksumMatches: $0.checksumMatches, known: $0.isKnown)
            })
        try context.output.emit(result)
        if !result.current { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}

extension SeedScale: ExpressibleByArgument {}

struct DBSeedCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the database with a realistic, deterministic marketplace.",
        discussion: """
            The same --scale and --seed give identical rows. tiny (tests) has 12 orgs, 100 users \
            and 500 products; large (benchmarks) about 2,000 orgs, 100,000 users, 25,000 \
            memberships, 500,000 products, 1,000,000 variants and 1,000,000 order items. Rows \
            are loaded with COPY in one transaction. A database that already holds data is \
            refused unless --force, which empties it first (and asks, or needs --yes). A \
            profile marked production is refused whatever the flags (exit 64).

            Example:
              wwctl db seed --scale tiny --seed 42
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("tiny, small, medium or large.", valueName: "scale"))
    var scale: SeedScale

    @Option(help: ArgumentHelp("Seed of the generator: the same seed gives the same rows.", valueName: "n"))
    var seed: UInt64 = 1

    @Flag(help: "Empty the data tables first when they hold data.")
    var force = false

    func execute(_ context: CommandContext) throws {
        // Seeding replaces real data with generated data: never on production, whatever is answered.
        try context.refuseOnProduction("seed a production database")
        let connection = try context.postgres()
        let seeder = Seeder(connection)
        if force {
            let occupied = try seeder.tablesWithRows()
            if !occupied.isEmpty {
                try context.confirm("empty \(occupied.count) tables of \(connection.target.masked) and seed --scale \(scale.rawValue)")
            }
        }
        let progress = context.output.progress("seeding")
        let report = try seeder.seed(scale: scale, seed: seed, force: force) { step in
            progress.update("\(step.table) \(grouped(step.done))/\(grouped(step.total))")
        }
        progress.finish()
        let size = try connection.query("SELECT pg_database_size(current_database()) AS bytes").first?.int64("bytes")
        try context.output.emit(SeedResult(
            scale: report.scale.rawValue, seed: report.seed,
            tables: report.tables.map { .init(table: $0.table, rows: $0.rows) },
            totalRows: report.totalRows, elapsedMs: report.elapsed.roundedMilliseconds,
            databaseBytes: size.map(Int.init)))
    }
}
