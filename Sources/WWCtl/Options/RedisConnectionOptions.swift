import ArgumentParser
import Redis

/// How to reach Redis beyond its URL (TLS, ACL login, Sentinel, where read-only walks go),
/// as the settings read them from `GlobalOptions`, which declares the flags.
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
