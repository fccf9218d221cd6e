import Configuration
import FoundationEssentials
import Postgres
import Redis
import Support
import Synchronization

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
/// file over defaults (DESIGN.md "Conventions").
public struct Settings: Sendable {
    public var redisURL: Resolved<RedisURL>
    /// `nil` lets libpq read its PG* environment.
    public var databaseURL: Resolved<String?>
    public var profile: Resolved<String?>
    public var keyPrefix: Resolved<String>
    public var timeout: Resolved<Double>
    public var production: Bool
    public var configPath: String?

    public var postgresTarget: PostgresTarget { PostgresTarget(urlOrConninfo: databaseURL.value) }

    static let defaultRedisURL = "redis://127.0.0.1:6379/0"
    static let defaultTimeout = 5.0

    /// Configuration keys, shared by every provider. The environment provider maps them to
    /// `REDIS_URL`, `DATABASE_URL`, `WWCTL_KEY_PREFIX`, `WWCTL_TIMEOUT`.
    private enum Key {
        static let redisURL = "redis.url"
        static let databaseURL = "database.url"
        static let keyPrefix = "wwctl.key.prefix"
        static let timeout = "wwctl.timeout"
    }

    /// Resolves the settings for `options` in `environment`.
    public static func resolve(_ options: GlobalOptions, environment: [String: String]) async throws -> Settings {
        let configPath = ConfigFile.defaultPath(environment: environment)
        let file = try ConfigFile.load(path: configPath)

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

        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        if let v = options.redisURL { flagValues[key(Key.redisURL)] = ConfigValue(.string(v), isSecret: true) }
        if let v = options.databaseURL { flagValues[key(Key.databaseURL)] = ConfigValue(.string(v), isSecret: true) }
        if let v = options.keyPrefix { flagValues[key(Key.keyPrefix)] = ConfigValue(.string(v), isSecret: false) }
        if let v = options.timeout { flagValues[key(Key.timeout)] = ConfigValue(.double(v), isSecret: false) }

        var profileValues: [AbsoluteConfigKey: ConfigValue] = [:]
        if let profile {
            if let v = profile.redisUrl { profileValues[key(Key.redisURL)] = ConfigValue(.string(v), isSecret: true) }
            if let v = profile.databaseUrl { profileValues[key(Key.databaseURL)] = ConfigValue(.string(v), isSecret: true) }
            if let v = profile.keyPrefix { profileValues[key(Key.keyPrefix)] = ConfigValue(.string(v), isSecret: false) }
            if let v = profile.timeout { profileValues[key(Key.timeout)] = ConfigValue(.double(v), isSecret: false) }
        }

        let flagsProvider = InMemoryProvider(name: "flags", values: flagValues)
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment.filter { ["REDIS_URL", "DATABASE_URL", "WWCTL_KEY_PREFIX", "WWCTL_TIMEOUT"].contains($0.key) },
            secretsSpecifier: .specific(["REDIS_URL", "DATABASE_URL"]))
        let profileProvider = InMemoryProvider(name: "profile", values: profileValues)
        let sources = SourceRecorder()
        let reader = ConfigReader(providers: [flagsProvider, environmentProvider, profileProvider], accessReporter: sources)

        func source(_ key: String, flag: String, env: String) -> SettingSource? {
            switch sources.provider(for: key) {
            case flagsProvider.providerName: return .flag(flag)
            case profileProvider.providerName: return .profile(name: profileName.value ?? "", path: configPath ?? "")
            case .some: return .environment(env)
            case nil: return nil
            }
        }

        let redisText = reader.string(forKey: ConfigKey(Key.redisURL), isSecret: true)
        let redisSource = source(Key.redisURL, flag: "--redis-url", env: "REDIS_URL") ?? .defaultValue
        let redisURL: RedisURL
        do {
            redisURL = try RedisURL(parsing: redisText ?? defaultRedisURL)
        } catch let error as CategorizedError {
            throw WWError.usage("\(error.message) (from \(redisSource))")
        }

        let databaseText = reader.string(forKey: ConfigKey(Key.databaseURL), isSecret: true)
        let databaseSource = source(Key.databaseURL, flag: "--database-url", env: "DATABASE_URL") ?? .libpqEnvironment

        let prefix = reader.string(forKey: ConfigKey(Key.keyPrefix)) ?? ""
        let prefixSource = source(Key.keyPrefix, flag: "--key-prefix", env: "WWCTL_KEY_PREFIX") ?? .defaultValue

        let timeoutValue = reader.double(forKey: ConfigKey(Key.timeout))
        let timeoutSource = source(Key.timeout, flag: "--timeout", env: "WWCTL_TIMEOUT") ?? .defaultValue
        if timeoutValue == nil, let text = reader.string(forKey: ConfigKey(Key.timeout)) {
            let from = source(Key.timeout, flag: "--timeout", env: "WWCTL_TIMEOUT") ?? .environment("WWCTL_TIMEOUT")
            throw WWError.usage("timeout '\(text)' from \(from) is not a number of seconds")
        }
        let timeout = timeoutValue ?? defaultTimeout
        guard timeout > 0, timeout <= 3600 else {
            throw WWError.usage("timeout from \(timeoutSource) must be between 0 and 3600 seconds, got \(timeout)")
        }

        return Settings(
            redisURL: Resolved(value: redisURL, source: redisSource),
            databaseURL: Resolved(value: databaseText, source: databaseSource),
            profile: profileName,
            keyPrefix: Resolved(value: prefix, source: prefixSource),
            timeout: Resolved(value: timeout, source: timeoutSource),
            production: profile?.production ?? false,
            configPath: configPath)
    }
}

private func key(_ text: String) -> AbsoluteConfigKey { AbsoluteConfigKey(ConfigKey(text)) }

/// Records which provider answered each key (the first one with a value).
private final class SourceRecorder: AccessReporter {
    private let answers = Mutex<[String: String]>([:])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        for result in event.providerResults {
            if case .success(let lookup) = result.result, lookup.value != nil {
                answers.withLock { $0[key] = result.providerName }
                return
            }
        }
    }

    func provider(for key: String) -> String? {
        answers.withLock { $0[key] }
    }
}
