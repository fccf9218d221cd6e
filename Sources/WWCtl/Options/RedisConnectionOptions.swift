import ArgumentParser
import Redis

/// How to reach Redis beyond its URL, with redis-cli's option names: TLS, ACL login,
/// Sentinel, and where read-only walks go. Part of every command's global options.
public struct RedisConnectionOptions: ParsableArguments, Sendable {
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

    @Option(name: .customLong("read-from"), help: ArgumentHelp(
        "Where read-only walks go: primary (default) or replica; writes always go to the primary.",
        valueName: "primary|replica"))
    public var readFrom: RedisReadPreference?

    @Option(name: .customLong("replica-url"), help: ArgumentHelp(
        "The replica for --read-from replica (default: one the sentinels or the primary list).", valueName: "url"))
    public var replicaURL: String?

    public init() {}

    public func validate() throws {
        if !sentinels.isEmpty && master == nil { throw ValidationError("--sentinel needs --master NAME") }
        if master != nil && sentinels.isEmpty { throw ValidationError("--master needs at least one --sentinel HOST:PORT") }
        if key != nil && cert == nil { throw ValidationError("--key needs --cert") }
    }
}

extension RedisConnectionOptions {
    /// The REPL keeps its own flags as the session's defaults through the environment
    /// variables that stand for them (`RedisSettings.Variable`). `--pass` becomes
    /// `REDISCLI_AUTH`, which a password in the URL beats.
    func exportDefaults(to environment: inout [String: String]) {
        typealias Variable = RedisSettings.Variable
        if tls { environment[Variable.tls] = "1" }
        if insecure { environment[Variable.insecure] = "1" }
        let values: [(String, String?)] = [
            (Variable.cacert, cacert), (Variable.cacertdir, cacertdir), (Variable.cert, cert), (Variable.key, key),
            (Variable.sni, sni), (Variable.user, user), (Variable.password, pass), (Variable.master, master),
            (Variable.readFrom, readFrom?.rawValue), (Variable.replicaURL, replicaURL),
            (Variable.sentinels, sentinels.isEmpty ? nil : sentinels.joined(separator: ",")),
        ]
        for (name, value) in values {
            if let value { environment[name] = value }
        }
        // One target per level: Sentinel flags replace a REDIS_URL from outside.
        if !sentinels.isEmpty { environment[Variable.url] = nil }
    }
}

extension RedisReadPreference: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public static var allValueDescriptions: [String: String] { [:] }
}
