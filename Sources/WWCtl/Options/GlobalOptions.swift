import ArgumentParser
import Redis

/// The options every command takes (docs/CLI.md "Global options").
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("redis-url"), help: ArgumentHelp(
        "Redis to use: redis://[user:password@]host:port[/db], rediss://… (TLS), unix:///path?db=N, or a Sentinel group: redis+sentinel://[user:password@]host:26379[,host:26379…]/MASTER[/db].",
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
        "Output format: table, json, ndjson (prometheus where metrics are printed).", valueName: "format"),
        completion: ShellCompletions.outputFormats)
    public var output: OutputFormat?

    @Flag(help: "Answer yes to confirmations (required for destructive commands without a terminal).")
    public var yes = false

    @Flag(name: .shortAndLong, help: "Less on stderr.")
    public var quiet = false

    @Flag(name: .shortAndLong, help: "More on stderr.")
    public var verbose = false

    @Option(help: ArgumentHelp(
        "Bounds each server round trip as a whole, in seconds (default 5).",
        discussion: """
            Redis: connecting (TCP, the TLS handshake, AUTH) is one round trip, and so is each \
            command or pipelined batch, from its first byte sent to the last byte of its reply; \
            a server that trickles its reply cannot stretch it. PostgreSQL: connecting is bounded \
            by SECONDS; a lock wait ends after SECONDS (exit 75, naming the lock); the server \
            cancels a statement after SECONDS + 1, and wwctl gives up on a server that has not \
            answered after SECONDS + 2 (exit 69). Bulk work (COPY of a warm or seed, migrations) \
            is not cut short while the server still answers.
            """,
        valueName: "seconds"))
    public var timeout: Double?

    // The Redis connection options, with redis-cli's names. Declared here rather than in an
    // option group of their own: a nested group costs every process start another
    // reflection pass of ArgumentParser (about 3 million instructions).
    @Flag(help: ArgumentHelp("Speak TLS to Redis (as a rediss:// URL does).", discussion: "Default: $WWCTL_REDIS_TLS=1, else the profile's tls."))
    public var tls = false

    @Option(help: ArgumentHelp(
        "Trusted CA certificates for Redis TLS, PEM (default: the system's).", valueName: "file"), completion: .file())
    public var cacert: String?

    @Option(help: ArgumentHelp(
        "Directory of trusted CA certificates for Redis TLS (hashed, as `openssl rehash` makes it).", valueName: "dir"),
        completion: .directory)
    public var cacertdir: String?

    @Option(help: ArgumentHelp("Client certificate for Redis TLS, PEM.", valueName: "file"), completion: .file())
    public var cert: String?

    @Option(help: ArgumentHelp("Private key of --cert, PEM.", valueName: "file"), completion: .file())
    public var key: String?

    @Option(help: ArgumentHelp(
        "Server name for TLS: sent as SNI and checked against the certificate instead of the host.", valueName: "name"))
    public var sni: String?

    @Flag(help: ArgumentHelp("Do not verify the Redis server's certificate (prints a warning)."))
    public var insecure = false

    // Not `--user` as in redis-cli: `perms list`, `sessions list`, `cache warm`… take a
    // marketplace user with that name.
    @Option(name: .customLong("redis-user"), help: ArgumentHelp("Redis ACL user (overrides the URL's).", valueName: "name"))
    public var user: String?

    @Option(help: ArgumentHelp(
        "Redis password (overrides the URL's; $REDISCLI_AUTH or a profile's passwordFile keep it off the command line).",
        valueName: "password"))
    public var pass: String?

    @Option(name: .customLong("sentinel"), help: ArgumentHelp(
        "A Redis Sentinel to ask for the primary (repeatable; with --master).", valueName: "host:port"))
    public var sentinels: [String] = []

    @Option(help: ArgumentHelp("The master name the sentinels know the primary by.", valueName: "name"))
    public var master: String?

    // A string checked by the settings: a type of its own here would cost every process
    // start ArgumentParser's runtime conformance lookups for it.
    @Option(name: .customLong("read-from"), help: ArgumentHelp(
        "Where read-only walks go: primary (default) or replica; writes always go to the primary.",
        valueName: "primary|replica"))
    public var readFrom: String?

    @Option(name: .customLong("replica-url"), help: ArgumentHelp(
        "The replica for --read-from replica (default: one the sentinels or the primary list).", valueName: "url"))
    public var replicaURL: String?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Treat the Redis server as a node of a Redis Cluster (--no-cluster: as one server); default: as INFO cluster says."))
    public var cluster: Bool?

    /// The Redis connection options as the settings read them.
    public var redis: RedisConnectionOptions {
        var options = RedisConnectionOptions()
        options.tls = tls
        options.cacert = cacert
        options.cacertdir = cacertdir
        options.cert = cert
        options.key = key
        options.sni = sni
        options.insecure = insecure
        options.user = user
        options.pass = pass
        options.sentinels = sentinels
        options.master = master
        options.readFrom = readFrom
        options.replicaURL = replicaURL
        options.cluster = cluster
        return options
    }

    public init() {}

    /// The spellings of the options above that take a value, and of the flags, for the
    /// messages about a line argument-parser refused (`CommandCatalog.afterGlobalOptions`)
    /// and for shell completion's lookups; GlobalOptionsSpellingTests checks them against
    /// the declarations.
    static let valuedSpellings: Set<String> = [
        "--redis-url", "--database-url", "--profile", "--key-prefix", "-o", "--output", "--timeout", "--cacert",
        "--cacertdir", "--cert", "--key", "--sni", "--redis-user", "--pass", "--sentinel", "--master", "--read-from",
        "--replica-url",
    ]
    static let flagSpellings: Set<String> = [
        "--yes", "-q", "--quiet", "-v", "--verbose", "--tls", "--insecure", "--cluster", "--no-cluster",
    ]

    public mutating func validate() throws {
        if quiet && verbose {
            throw ValidationError("--quiet and --verbose cannot be used together")
        }
        if let timeout, !(timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be between 0 and 3600 seconds, got \(timeout)")
        }
        if !sentinels.isEmpty && master == nil { throw ValidationError("--sentinel needs --master NAME") }
        if master != nil && sentinels.isEmpty { throw ValidationError("--master needs at least one --sentinel HOST:PORT") }
        if key != nil && cert == nil { throw ValidationError("--key needs --cert") }
        if let readFrom, RedisReadPreference(rawValue: readFrom) == nil {
            throw ValidationError("--read-from must be primary or replica, got '\(readFrom)'")
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
