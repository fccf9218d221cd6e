import FoundationEssentials
import Glibc
import Redis
import Support

/// The Redis half of the settings: the target with its login and TLS applied, and where
/// read-only walks go. Each piece is looked up like every setting (flag, environment,
/// profile, default) and keeps its source for `config show`.
///
/// Login: the user is `--redis-user`, else `$WWCTL_REDIS_USER`, else the URL's, else the
/// profile's `redisUser`; the password is `--pass`, else the URL's (unless empty, as in
/// `redis://ops:@host`), else `$REDISCLI_AUTH` (as redis-cli reads it), else the profile's
/// `passwordFile`.
/// TLS is on with `--tls`, `$WWCTL_REDIS_TLS=1`, a `rediss://` URL or a profile's `tls`.
public struct RedisSettings: Sendable {
    public var target: Resolved<RedisTarget>
    public var readFrom: Resolved<RedisReadPreference>
    public var replicaURL: Resolved<RedisURL>?
    /// Whether the target is a Redis Cluster: `--cluster`/`--no-cluster`,
    /// `$WWCTL_REDIS_CLUSTER` (1 or 0), else found out on connect (a seed list is one).
    public var clusterMode: Resolved<RedisClusterMode> = Resolved(value: .detect, source: .defaultValue)
    /// Where the user and password came from, when there is one.
    public var userSource: SettingSource?
    public var passwordSource: SettingSource?
    /// Where the TLS setting came from, when TLS is on.
    public var tlsSource: SettingSource?

    /// Whether the server's certificate goes unchecked (`--insecure`).
    public var isInsecure: Bool { target.value.tls?.verifyPeer == false }

    /// The environment variables that stand for the connection flags (the REPL passes its
    /// flags to the commands it runs this way).
    enum Variable {
        static let url = "REDIS_URL"
        static let password = "REDISCLI_AUTH"
        static let user = "WWCTL_REDIS_USER"
        static let tls = "WWCTL_REDIS_TLS"
        static let cacert = "WWCTL_REDIS_CACERT"
        static let cacertdir = "WWCTL_REDIS_CACERTDIR"
        static let cert = "WWCTL_REDIS_CERT"
        static let key = "WWCTL_REDIS_KEY"
        static let sni = "WWCTL_REDIS_SNI"
        static let insecure = "WWCTL_REDIS_INSECURE"
        static let sentinels = "WWCTL_REDIS_SENTINELS"
        static let master = "WWCTL_REDIS_MASTER"
        static let readFrom = "WWCTL_READ_FROM"
        static let replicaURL = "WWCTL_REPLICA_URL"
        static let cluster = "WWCTL_REDIS_CLUSTER"
    }

    static let defaultURL = "redis://127.0.0.1:6379/0"

    struct Sources {
        let flags: RedisConnectionOptions
        let urlFlag: String?
        let environment: [String: String]
        let profile: ConfigFile.Profile?
        let fromProfile: SettingSource
        /// Whether the profile's values rank above the environment's.
        let order: Precedence
        /// Relative file names in the profile are relative to this folder.
        let configFolder: String?

        func env(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }

        func lookup(flag: String?, flagName: String, env name: String, profile value: String?) -> Resolved<String>? {
            order.first(
                flag: flag.map { Resolved(value: $0, source: .flag(flagName)) },
                environment: env(name).map { Resolved(value: $0, source: .environment(name)) },
                profile: value.map { Resolved(value: $0, source: fromProfile) })
        }

        func lookup(flag: Bool, flagName: String, env name: String, profile value: Bool?) -> Resolved<Bool>? {
            order.first(
                flag: flag ? Resolved(value: true, source: .flag(flagName)) : nil,
                environment: env(name).map { Resolved(value: $0 != "0" && $0.lowercased() != "false", source: .environment(name)) },
                profile: value.map { Resolved(value: $0, source: fromProfile) })
        }

        /// A file named in the profile, relative to the config file's folder.
        func profilePath(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/"), let configFolder else { return path }
            return configFolder + "/" + path
        }
    }

    static func resolve(_ sources: Sources) throws -> RedisSettings {
        var target = try resolveTarget(sources)
        var settings = RedisSettings(
            target: target, readFrom: Resolved(value: .primary, source: .defaultValue), replicaURL: nil)
        let flags = sources.flags

        // Login.
        var user = sources.lookup(flag: flags.user, flagName: "--redis-user", env: Variable.user, profile: nil)
        if sources.order.profileFirst, !(user?.source.isFlag ?? false), let name = sources.profile?.redisUser {
            user = Resolved(value: name, source: sources.fromProfile)
        }
        if let user {
            target.value.username = user.value
            settings.userSource = user.source
        } else if target.value.username != nil {
            settings.userSource = target.source
        } else if let user = sources.profile?.redisUser {
            target.value.username = user
            settings.userSource = sources.fromProfile
        }
        if let password = flags.pass {
            target.value.password = password
            settings.passwordSource = .flag("--pass")
        } else if let password = target.value.password, !password.isEmpty {
            settings.passwordSource = target.source
        } else if let password = sources.env(Variable.password),
            !(sources.order.profileFirst && sources.profile?.passwordFile != nil)
        {
            target.value.password = password
            settings.passwordSource = .environment(Variable.password)
        } else if let file = sources.profilePath(sources.profile?.passwordFile) {
            target.value.password = try PasswordFile.read(file)
            settings.passwordSource = sources.fromProfile
        } else if target.value.password != nil {
            settings.passwordSource = target.source
        }

        // TLS.
        let tlsFlag = sources.lookup(flag: flags.tls, flagName: "--tls", env: Variable.tls, profile: sources.profile?.tls)
        let files: [(name: String, value: Resolved<String>?)] = [
            ("--cacert", sources.lookup(flag: flags.cacert, flagName: "--cacert", env: Variable.cacert, profile: sources.profilePath(sources.profile?.cacert))),
            ("--cacertdir", sources.lookup(flag: flags.cacertdir, flagName: "--cacertdir", env: Variable.cacertdir, profile: sources.profilePath(sources.profile?.cacertdir))),
            ("--cert", sources.lookup(flag: flags.cert, flagName: "--cert", env: Variable.cert, profile: sources.profilePath(sources.profile?.cert))),
            ("--key", sources.lookup(flag: flags.key, flagName: "--key", env: Variable.key, profile: sources.profilePath(sources.profile?.key))),
            ("--sni", sources.lookup(flag: flags.sni, flagName: "--sni", env: Variable.sni, profile: sources.profile?.sni)),
        ]
        let insecure = sources.lookup(flag: flags.insecure, flagName: "--insecure", env: Variable.insecure, profile: sources.profile?.insecure)
        var tls = target.value.tls
        if tls != nil {
            settings.tlsSource = target.source
        } else if let tlsFlag, tlsFlag.value {
            tls = RedisTLS()
            settings.tlsSource = tlsFlag.source
        }
        if tls == nil {
            let given = files.first { $0.value != nil }.map { ($0.name, $0.value!.source) }
                ?? insecure.flatMap { $0.value ? ("--insecure", $0.source) : nil }
            if let (name, source) = given {
                throw WWError.usage("\(name) (from \(source)) is for TLS: add --tls or use a rediss:// URL")
            }
        }
        if var options = tls {
            guard target.value.isTCP else { throw WWError.usage("TLS needs a TCP address, not a unix socket (from \(target.source))") }
            options.caFile = files[0].value?.value ?? options.caFile
            options.caDirectory = files[1].value?.value ?? options.caDirectory
            options.certificateFile = files[2].value?.value ?? options.certificateFile
            options.keyFile = files[3].value?.value ?? options.keyFile
            options.serverName = files[4].value?.value ?? options.serverName
            if options.keyFile != nil && options.certificateFile == nil {
                throw WWError.usage("--key (from \(files[3].value!.source)) needs --cert")
            }
            if insecure?.value == true { options.verifyPeer = false }
            target.value.tls = options
        }
        settings.target = target

        // Cluster.
        if let cluster = flags.cluster {
            settings.clusterMode = Resolved(value: cluster ? .on : .off, source: .flag(cluster ? "--cluster" : "--no-cluster"))
        } else if let text = sources.env(Variable.cluster) {
            settings.clusterMode = Resolved(value: text != "0" && text.lowercased() != "false" ? .on : .off, source: .environment(Variable.cluster))
        }
        switch (target.value, settings.clusterMode.value) {
        case (.sentinel, .on):
            throw WWError.usage("a Sentinel group is not a Redis Cluster (\(settings.clusterMode.source) with a Sentinel target)")
        case (.cluster, .off):
            throw WWError.usage("a list of nodes is a Redis Cluster's seeds (\(settings.clusterMode.source) with \(target.value.address))")
        default:
            break
        }

        // Reads.
        if let text = sources.lookup(flag: flags.readFrom, flagName: "--read-from", env: Variable.readFrom, profile: sources.profile?.readFrom) {
            guard let value = RedisReadPreference(rawValue: text.value) else {
                throw WWError.usage("read-from '\(text.value)' from \(text.source) must be primary or replica")
            }
            settings.readFrom = Resolved(value: value, source: text.source)
        }
        if let text = sources.lookup(flag: flags.replicaURL, flagName: "--replica-url", env: Variable.replicaURL, profile: sources.profile?.replicaUrl) {
            if case .flag = text.source, settings.readFrom.value != .replica {
                throw WWError.usage("--replica-url is for --read-from replica")
            }
            do {
                var url = try RedisURL(parsing: text.value)
                if url.tls == nil && target.value.tls != nil && url.password == nil { url.tls = target.value.tls }
                settings.replicaURL = Resolved(value: url, source: text.source)
            } catch let error as CategorizedError {
                throw WWError.usage("replica \(error.message) (from \(text.source))")
            }
        }
        return settings
    }

    /// `--redis-url` or `--sentinel`+`--master` (flags), `REDIS_URL` or the Sentinel
    /// variables (environment), `redisUrl` or `sentinels`+`master` (profile, before the
    /// environment when it was named), the default.
    private static func resolveTarget(_ sources: Sources) throws -> Resolved<RedisTarget> {
        let flags = sources.flags
        var levels: [(url: String?, sentinels: [String], master: String?, source: SettingSource, names: String)] = [
            (sources.urlFlag, flags.sentinels, flags.master, .flag(flags.sentinels.isEmpty ? "--redis-url" : "--sentinel"),
             "--redis-url or --sentinel"),
            (sources.env(Variable.url),
             sources.env(Variable.sentinels).map { $0.split(separator: ",").map(String.init) } ?? [],
             sources.env(Variable.master),
             .environment(sources.env(Variable.sentinels) == nil ? Variable.url : Variable.sentinels),
             "\(Variable.url) or \(Variable.sentinels)"),
            (sources.profile?.redisUrl, sources.profile?.sentinels ?? [], sources.profile?.master, sources.fromProfile,
             "redisUrl or sentinels"),
        ]
        if sources.order.profileFirst { levels.swapAt(1, 2) }
        for level in levels where level.url != nil || !level.sentinels.isEmpty || level.master != nil {
            if level.url != nil && (!level.sentinels.isEmpty || level.master != nil) {
                throw WWError.usage("give \(level.names), not both (from \(level.source))")
            }
            if let url = level.url {
                do {
                    return Resolved(value: try RedisTarget(parsing: url), source: level.source)
                } catch let error as CategorizedError {
                    throw WWError.usage("\(error.message) (from \(level.source))")
                }
            }
            guard let master = level.master, !level.sentinels.isEmpty else {
                throw WWError.usage("sentinels and a master name go together (from \(level.source))")
            }
            var endpoints: [RedisURL.Endpoint] = []
            for sentinel in level.sentinels {
                do {
                    endpoints.append(try RedisSentinelGroup.endpoint(parsing: sentinel))
                } catch {
                    throw WWError.usage("sentinel '\(sentinel)' (from \(level.source)) is not host:port")
                }
            }
            guard RedisSentinelGroup.isValidMasterName(master) else {
                throw WWError.usage("master name (from \(level.source)) must be printable, without spaces")
            }
            return Resolved(value: .sentinel(RedisSentinelGroup(sentinels: endpoints, masterName: master)), source: level.source)
        }
        return Resolved(value: try RedisTarget(parsing: defaultURL), source: .defaultValue)
    }

    /// The topology these settings describe, with `timeout` for connecting and each round trip.
    public func topology(timeout: Double) -> RedisTopology {
        RedisTopology(
            target: target.value, readFrom: readFrom.value, replicaURL: replicaURL?.value,
            connectTimeout: timeout, commandTimeout: timeout, clusterMode: clusterMode.value)
    }
}

/// A password kept in a file of its own, so a cron line holds no secret.
enum PasswordFile {
    /// The file's first line. Refused (usage error) unless it is a regular file that only
    /// its owner may read or write: a password readable by others is not a secret.
    static func read(_ path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw WWError.usage("password file \(path): \(String(cString: strerror(errno)).lowercased())")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw WWError.usage("password file \(path) is not a regular file") }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw WWError.usage(
                "password file \(path) may be read by others (mode \(String(mode, radix: 8, uppercase: false).leftPadded(to: 4))); "
                    + "make it 0600 (chmod 600 \(path))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WWError.usage("password file \(path) cannot be read")
        }
        guard var text = String(validating: data, as: UTF8.self) else { throw WWError.usage("password file \(path) is not UTF-8 text") }
        if let newline = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) { text = String(text[..<newline]) }
        guard !text.isEmpty else { throw WWError.usage("password file \(path) is empty") }
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
