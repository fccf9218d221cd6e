import ArgumentParser

/// The options every command takes (docs/CLI.md "Global options").
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("redis-url"), help: ArgumentHelp(
        "Redis to use: redis://[user:password@]host:port[/db] or unix:///path?db=N.",
        discussion: "Default: $REDIS_URL, else the profile, else redis://127.0.0.1:6379/0.",
        valueName: "url"))
    public var redisURL: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL to use: postgresql://… or a libpq conninfo string.",
        discussion: "Default: $DATABASE_URL, else the profile, else libpq's PG* environment.",
        valueName: "url"))
    public var databaseURL: String?

    @Option(
        help: ArgumentHelp("A named profile from the config file (default: $WWCTL_PROFILE).", valueName: "name"),
        completion: ShellCompletions.profiles)
    public var profile: String?

    @Option(name: .customLong("key-prefix"), help: ArgumentHelp(
        "Prefix on every cache key (the app's cache-manager prefix; default empty).", valueName: "prefix"))
    public var keyPrefix: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Output format: table, json, ndjson (prometheus where metrics are printed).", valueName: "format"))
    public var output: OutputFormat?

    @Flag(help: "Answer yes to confirmations (required for destructive commands without a terminal).")
    public var yes = false

    @Flag(name: .shortAndLong, help: "Less on stderr.")
    public var quiet = false

    @Flag(name: .shortAndLong, help: "More on stderr.")
    public var verbose = false

    @Option(help: ArgumentHelp(
        "Deadline in seconds for each round trip with a server, as a whole (default 5).",
        discussion: """
            Bounds connecting and each Redis command or PostgreSQL statement from sending it to \
            the last byte of its answer, however slowly the answer trickles in. A PostgreSQL \
            lock wait ends after SECONDS (exit 75, naming the lock); the server cancels a \
            statement after SECONDS + 1, and wwctl gives up on a server that has not answered \
            after SECONDS + 2 (exit 69). Bulk work (COPY of a warm or seed, migrations) is not \
            cut short while the server still answers.
            """,
        valueName: "seconds"))
    public var timeout: Double?

    public init() {}

    public mutating func validate() throws {
        if quiet && verbose {
            throw ValidationError("--quiet and --verbose cannot be used together")
        }
        if let timeout, !(timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be between 0 and 3600 seconds, got \(timeout)")
        }
    }
}

/// How results are printed on stdout.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, ndjson, prometheus

    // ArgumentParser computes both lists for `-o` at every start, while it builds the
    // options, whatever the command. Its defaults for a CaseIterable RawRepresentable
    // type (the same values) go through generic printing and runtime conformance
    // lookups: about a million instructions of a ~20 million instruction `wwctl metrics`.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }

    /// No value has a description of its own (the default would find each equal to its name).
    public static var allValueDescriptions: [String: String] { [:] }
}
