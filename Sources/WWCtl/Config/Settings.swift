import FoundationEssentials
import Keyspace
import Postgres
import Redis
import Support

/// Where a resolved setting came from, for `config show`.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment(String)
    case profile(name: String, path: String)
    case libpqEnvironment
    case defaultValue

    public var description: String {
        switch self {
        case .flag(let name): "flag \(name)"
        case .environment(let name): "environment \(name)"
        case .profile(let name, let path): "profile \(name) (\(path))"
        case .libpqEnvironment: "libpq PG* environment"
        case .defaultValue: "default"
        }
    }
}

public struct Resolved<Value: Sendable>: Sendable {
    public var value: Value
    public var source: SettingSource
}

/// The configuration in force for one command: flags over environment over the profile
/// file over defaults (docs/CLI.md "Global options").
public struct Settings: Sendable {
    /// Redis: the target (`--redis-url` or the Sentinel options) with its login and TLS,
    /// and where reads go.
    public var redis: RedisSettings
    /// What `--redis-url` (or `--sentinel`) points at, with login and TLS applied.
    public var redisURL: Resolved<RedisTarget> { redis.target }
    /// `nil` lets libpq read its PG* environment.
    public var databaseURL: Resolved<String?>
    public var profile: Resolved<String?>
    public var keyPrefix: Resolved<String>
    public var timeout: Resolved<Double>
    public var production: Bool
    public var configPath: String?

    public var postgresTarget: PostgresTarget { PostgresTarget(urlOrConninfo: databaseURL.value) }

    /// The key registry bound to `keyPrefix`: the command context makes it once and hands
    /// it to every service, so the prefix is never passed around as text.
    public var keyspace: BoundKeyspace { KeyspaceRegistry.standard.bound(to: KeyPrefix(keyPrefix.value)) }

    static let defaultTimeout = 5.0

    /// Resolves the settings for `options` in `environment`.
    ///
    /// Each setting is looked up in order — flag, environment variable, profile — and the
    /// first that has it wins, with its source recorded. (This layering was first built on
    /// swift-configuration's ConfigReader; its generic provider machinery cost about a
    /// quarter of a `wwctl metrics` process, and start-up is a goal: cron, monitoring and
    /// shell completion run the binary constantly. The profile file itself is decoded by
    /// Foundation's JSONDecoder, not by hand.)
    public static func resolve(_ options: GlobalOptions, environment: [String: String]) throws -> Settings {
        let (file, configPath) = try ConfigFile.load(environment: environment)

        // Profile: --profile, else $WWCTL_PROFILE, else the file's defaultProfile.
        let profileName: Resolved<String?>
        if let name = options.profile {
            profileName = Resolved(value: name, source: .flag("--profile"))
        } else if let name = environment["WWCTL_PROFILE"], !name.isEmpty {
            profileName = Resolved(value: name, source: .environment("WWCTL_PROFILE"))
        } else if let name = file.defaultProfile {
            profileName = Resolved(value: name, source: .profile(name: "defaultProfile", path: configPath ?? ""))
        } else {
            profileName = Resolved(value: nil, source: .defaultValue)
        }
        var profile: ConfigFile.Profile?
        if let name = profileName.value {
            guard let found = file.profiles[name] else {
                let known = file.profiles.keys.sorted()
                let where_ = configPath.map { " in \($0)" } ?? ""
                let hint = known.isEmpty ? "no profiles are defined\(where_)" : "profiles\(where_): \(known.joined(separator: ", "))"
                throw WWError.usage("unknown profile '\(name)' (\(hint))")
            }
            profile = found
        }
        let fromProfile = SettingSource.profile(name: profileName.value ?? "", path: configPath ?? "")

        /// The first of flag, environment variable and profile value that is set.
        func lookup(flag: String?, flagName: String, env: String, profile: String?) -> Resolved<String>? {
            if let flag { return Resolved(value: flag, source: .flag(flagName)) }
            if let value = environment[env], !value.isEmpty { return Resolved(value: value, source: .environment(env)) }
            if let profile { return Resolved(value: profile, source: fromProfile) }
            return nil
        }

        let redis = try RedisSettings.resolve(RedisSettings.Sources(
            flags: options.redis, urlFlag: options.redisURL, environment: environment, profile: profile,
            fromProfile: fromProfile,
            configFolder: configPath.map { path in path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "." }))

        let database = lookup(flag: options.databaseURL, flagName: "--database-url", env: "DATABASE_URL", profile: profile?.databaseUrl)
        // As for a Redis URL: a malformed target is a usage error, before any connection.
        if let database, let problem = PostgresTarget(urlOrConninfo: database.value).syntaxProblem {
            throw WWError.usage(
                "malformed database URL \(TerminalText.echoed(PostgresTarget(urlOrConninfo: database.value).masked)) "
                    + "(from \(database.source)): \(problem)")
        }
        let prefix = lookup(flag: options.keyPrefix, flagName: "--key-prefix", env: "WWCTL_KEY_PREFIX", profile: profile?.keyPrefix)
            ?? Resolved(value: "", source: .defaultValue)

        var timeout = Resolved(value: defaultTimeout, source: SettingSource.defaultValue)
        if let value = options.timeout {
            timeout = Resolved(value: value, source: .flag("--timeout"))
        } else if let text = environment["WWCTL_TIMEOUT"], !text.isEmpty {
            guard let value = Double(text) else {
                throw WWError.usage("timeout '\(text)' from environment WWCTL_TIMEOUT is not a number of seconds")
            }
            timeout = Resolved(value: value, source: .environment("WWCTL_TIMEOUT"))
        } else if let value = profile?.timeout {
            timeout = Resolved(value: value, source: fromProfile)
        }
        guard timeout.value > 0, timeout.value <= 3600 else {
            throw WWError.usage("timeout from \(timeout.source) must be between 0 and 3600 seconds, got \(timeout.value)")
        }

        return Settings(
            redis: redis,
            databaseURL: Resolved(value: database?.value, source: database?.source ?? .libpqEnvironment),
            profile: profileName,
            keyPrefix: prefix,
            timeout: timeout,
            production: profile?.production ?? false,
            configPath: configPath)
    }
}
