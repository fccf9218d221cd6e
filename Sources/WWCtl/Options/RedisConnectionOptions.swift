import ArgumentParser
import Redis

/// How to reach Redis beyond its URL, with redis-cli's option names: TLS, ACL login,
/// Sentinel, and where read-only walks go.
///
/// These are taken off the command line before ArgumentParser sees it (`lift`), wherever
/// they stand, and parsed here only when some are given. Declared among every command's
/// global options, ArgumentParser would reflect over all thirteen on every start (it builds
/// a command's argument set about four times per parse): about 3.4 million instructions,
/// a fifth of a whole `wwctl metrics`, whether they are used or not. The price is that
/// shell completion does not offer them; `--redis-url`'s help lists them.
public struct RedisConnectionOptions: Sendable {
    public var tls = false
    public var cacert: String?
    public var cacertdir: String?
    public var cert: String?
    public var key: String?
    public var sni: String?
    public var insecure = false
    public var user: String?
    public var pass: String?
    public var sentinels: [String] = []
    public var master: String?
    public var readFrom: String?
    public var replicaURL: String?

    public init() {}

    // Arrays, not sets: the first hashing of a String is a cost of its own at start-up.
    static let flagNames = ["--tls", "--insecure"]
    static let optionNames = [
        "--cacert", "--cacertdir", "--cert", "--key", "--sni", "--redis-user", "--pass", "--sentinel", "--master",
        "--read-from", "--replica-url",
    ]

    /// Splits `arguments` into the connection options (parsed) and the rest, for
    /// ArgumentParser. An option's value is the next word or follows `=`; nothing after
    /// `--` is an option. `options` is nil when the line has none. A `ValidationError`
    /// (exit 64) names what is wrong.
    public static func lift(from arguments: [String]) throws -> (options: RedisConnectionOptions?, rest: [String]) {
        var lifted: [String] = []
        var rest: [String] = []
        rest.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" {
                rest += arguments[(index - 1)...]
                break
            }
            guard word.utf8.starts(with: "--".utf8) else {
                rest.append(word)
                continue
            }
            let name = word.firstIndex(of: "=").map { String(word[..<$0]) } ?? word
            if flagNames.contains(word) {
                lifted.append(word)
            } else if optionNames.contains(name) {
                lifted.append(word)
                if name == word {
                    guard index < arguments.count else { throw ValidationError("\(name) needs a value") }
                    lifted.append(arguments[index])
                    index += 1
                }
            } else {
                rest.append(word)
            }
        }
        guard !lifted.isEmpty else { return (nil, arguments) }
        do {
            return (try RedisConnectionFlags.parse(lifted).options, rest)
        } catch {
            // Reported as any usage error is: one line, exit 64.
            let message = RedisConnectionFlags.fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid connection option"
            throw ValidationError(message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message)
        }
    }
}

/// The parser of the options `lift` takes off the line (its `--help` is never shown).
struct RedisConnectionFlags: ParsableArguments {
    @Flag(help: ArgumentHelp("Speak TLS to Redis (as a rediss:// URL does).", discussion: "Default: $WWCTL_REDIS_TLS=1, else the profile's tls."))
    var tls = false

    @Option(help: ArgumentHelp(
        "Trusted CA certificates for Redis TLS, PEM (default: the system's).", valueName: "file"), completion: .file())
    var cacert: String?

    @Option(help: ArgumentHelp(
        "Directory of trusted CA certificates for Redis TLS (hashed, as `openssl rehash` makes it).", valueName: "dir"),
        completion: .directory)
    var cacertdir: String?

    @Option(help: ArgumentHelp("Client certificate for Redis TLS, PEM.", valueName: "file"), completion: .file())
    var cert: String?

    @Option(help: ArgumentHelp("Private key of --cert, PEM.", valueName: "file"), completion: .file())
    var key: String?

    @Option(help: ArgumentHelp(
        "Server name for TLS: sent as SNI and checked against the certificate instead of the host.", valueName: "name"))
    var sni: String?

    @Flag(help: ArgumentHelp("Do not verify the Redis server's certificate (prints a warning)."))
    var insecure = false

    // Not `--user` as in redis-cli: `perms list`, `sessions list`, `cache warm`… take a
    // marketplace user with that name.
    @Option(name: .customLong("redis-user"), help: ArgumentHelp("Redis ACL user (overrides the URL's).", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp(
        "Redis password (overrides the URL's; $REDISCLI_AUTH or a profile's passwordFile keep it off the command line).",
        valueName: "password"))
    var pass: String?

    @Option(name: .customLong("sentinel"), help: ArgumentHelp(
        "A Redis Sentinel to ask for the primary (repeatable; with --master).", valueName: "host:port"))
    var sentinels: [String] = []

    @Option(help: ArgumentHelp("The master name the sentinels know the primary by.", valueName: "name"))
    var master: String?

    @Option(name: .customLong("read-from"), help: ArgumentHelp(
        "Where read-only walks go: primary (default) or replica; writes always go to the primary.",
        valueName: "primary|replica"))
    var readFrom: String?

    @Option(name: .customLong("replica-url"), help: ArgumentHelp(
        "The replica for --read-from replica (default: one the sentinels or the primary list).", valueName: "url"))
    var replicaURL: String?

    init() {}

    func validate() throws {
        if !sentinels.isEmpty && master == nil { throw ValidationError("--sentinel needs --master NAME") }
        if master != nil && sentinels.isEmpty { throw ValidationError("--master needs at least one --sentinel HOST:PORT") }
        if key != nil && cert == nil { throw ValidationError("--key needs --cert") }
        if let readFrom, RedisReadPreference(rawValue: readFrom) == nil {
            throw ValidationError("--read-from must be primary or replica, got '\(readFrom)'")
        }
    }

    var options: RedisConnectionOptions {
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
        return options
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
            (Variable.readFrom, readFrom), (Variable.replicaURL, replicaURL),
            (Variable.sentinels, sentinels.isEmpty ? nil : sentinels.joined(separator: ",")),
        ]
        for (name, value) in values {
            if let value { environment[name] = value }
        }
        // One target per level: Sentinel flags replace a REDIS_URL from outside.
        if !sentinels.isEmpty { environment[Variable.url] = nil }
    }
}
