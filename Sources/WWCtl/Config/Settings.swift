import FoundationEssentials
import Keyspace
import Postgres
import Redis
import Support

/// Where a resolved setting came from, for `config show`.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    /// The REPL's `use NAME`.
    case replUse
    case environment(String)
    case profile(name: String, path: String)
    case libpqEnvironment
    case defaultValue

    public var isFlag: Bool {
        if case .flag = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .flag(let name): "flag \(name)"
        case .replUse: "use (REPL)"
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

/// The configuration in force for one command. Each value comes from the first of these
/// that has it (docs/CLI.md "Configuration"):
///
/// 1. its flag (`--redis-url`, `--key-prefix`, …);
/// 2. a profile named explicitly, by `--profile NAME` or the REPL's `use NAME`;
/// 3. the environment (`REDIS_URL`, `DATABASE_URL`, `WWCTL_KEY_PREFIX`, …);
/// 4. a profile chosen by default: `$WWCTL_PROFILE`, else the file's `defaultProfile`
///    (`WWCTL_PROFILE` is not typed on the command line, so it ranks as a default);
/// 5. the built-in default.
///
/// An operator who names a profile means it, whatever a shell exported; one who does not
/// gets what the shell exported over the standing defaults.
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
    /// The profile's REPL prompt form, if it sets one.
    public var prompt: String?
    public var configPath: String?

    public var postgresTarget: PostgresTarget { PostgresTarget(urlOrConninfo: databaseURL.value) }

    /// The key registry bound to `keyPrefix`: the command context makes it once and hands
    /// it to every service, so the prefix is never passed around as text.
    public var keyspace: BoundKeyspace { KeyspaceRegistry.standard.bound(to: KeyPrefix(keyPrefix.value)) }

    static let defaultTimeout = 5.0

    /// Resolves the settings for `options` in `environment`; `used` is the profile the
    /// REPL's `use` chose, which stands as `--profile` does for a line that gives none.
    ///
    /// Each setting is looked up in the order above and the first that has it wins, with
    /// its source recorded. (This layering was first built on
    /// swift-configuration's ConfigReader; its generic provider machinery cost about a
    /// quarter of a `wwctl metrics` process, and start-up is a goal: cron, monitoring and
    /// shell completion run the binary constantly. The profile file itself is decoded by
    /// Foundation's JSONDecoder, not by hand.)
    public static func resolve(_ options: GlobalOptions, environment: [String: String], used: String?) throws -> Settings {
        let (file, configPath) = try ConfigFile.load(environment: environment)

        // Profile: --profile, else `use`, else $WWCTL_PROFILE, else the file's defaultProfile.
        let profileName: Resolved<String?>
        if let name = options.profile {
            profileName = Resolved(value: name, source: .flag("--profile"))
        } else if let name = used {
            profileName = Resolved(value: name, source: .replUse)
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
        let order = Precedence(profileNamed: profileName.source)

        /// The first of flag, profile value and environment variable that is set, in `order`.
        func lookup(flag: String?, flagName: String, env: String, profile: String?) -> Resolved<String>? {
            order.first(
                flag: flag.map { Resolved(value: $0, source: .flag(flagName)) },
                environment: environment[env].flatMap { $0.isEmpty ? nil : Resolved(value: $0, source: .environment(env)) },
                profile: profile.map { Resolved(value: $0, source: fromProfile) })
        }

        let redis = try RedisSettings.resolve(RedisSettings.Sources(
            flags: options.redis, urlFlag: options.redisURL, environment: environment, profile: profile,
            fromProfile: fromProfile, order: order,
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

        // A WWCTL_TIMEOUT that is not a number is reported only where it would be used.
        let timeout = order.first(
            flag: options.timeout.map { Resolved(value: $0, source: .flag("--timeout")) },
            environment: environment["WWCTL_TIMEOUT"].flatMap {
                $0.isEmpty ? nil : Resolved(value: Double($0) ?? .nan, source: .environment("WWCTL_TIMEOUT"))
            },
            profile: profile?.timeout.map { Resolved(value: $0, source: fromProfile) })
            ?? Resolved(value: defaultTimeout, source: .defaultValue)
        if timeout.value.isNaN {
            throw WWError.usage(
                "timeout '\(environment["WWCTL_TIMEOUT"] ?? "")' from environment WWCTL_TIMEOUT is not a number of seconds")
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
            prompt: profile?.prompt,
            configPath: configPath)
    }
}

/// Whether a profile's values rank above the environment's or below: above when the
/// profile was named (`--profile`, `use`), below when it was chosen by default.
struct Precedence: Sendable {
    let profileFirst: Bool

    init(profileNamed source: SettingSource) {
        switch source {
        case .flag, .replUse: profileFirst = true
        default: profileFirst = false
        }
    }

    /// The first of the three that is set: the flag, then the profile and the environment
    /// in this order's rank.
    func first<T>(flag: Resolved<T>?, environment: Resolved<T>?, profile: Resolved<T>?) -> Resolved<T>? {
        if let flag { return flag }
        return profileFirst ? (profile ?? environment) : (environment ?? profile)
    }
}
