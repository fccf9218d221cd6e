import ArgumentParser

/// The options every command takes (docs/CLI.md "Global options").
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("redis-url"), help: ArgumentHelp(
        "Redis to use: redis://[user:password@]host:port[/db], rediss://… (TLS), unix:///path?db=N, or a Sentinel group: redis+sentinel://[user:password@]host:26379[,host:26379…]/MASTER[/db].",
        discussion: """
            Default: $REDIS_URL, else the profile, else redis://127.0.0.1:6379/0.
            With it, anywhere on the line, redis-cli's connection options:
              --tls                 TLS, as rediss:// (verified: system's CAs)
              --cacert FILE         trusted CA certificates, PEM
              --cacertdir DIR       a directory of them (openssl rehash)
              --cert FILE           a client certificate, PEM
              --key FILE            its private key
              --sni NAME            checked against the certificate (and sent
                                    as SNI) instead of the host
              --insecure            no check of the certificate (warns once)
              --redis-user NAME     the ACL user (--user is a marketplace user)
              --pass PASSWORD       the password; also $REDISCLI_AUTH or a
                                    profile's passwordFile
              --sentinel HOST:PORT  a Sentinel to ask (repeatable), with
              --master NAME         the primary's name for the sentinels
              --read-from primary|replica
                                    where read-only walks go; writes: primary
              --replica-url URL     the replica for --read-from replica
            """,
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
        "Bounds each server round trip as a whole, in seconds (default 5).",
        discussion: """
            Redis: connecting (TCP, the TLS handshake, AUTH) is one round trip, and so is each \
            command or pipelined batch, from its first byte sent to the last byte of its reply; \
            a server that trickles its reply cannot stretch it.
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
