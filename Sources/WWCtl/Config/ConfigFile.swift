import FoundationEssentials
import Support

/// The profile file, `$XDG_CONFIG_HOME/wwctl/config.json` (else `~/.config/wwctl/config.json`,
/// or `$WWCTL_CONFIG`):
///
/// ```json
/// {
///   "defaultProfile": "local",
///   "profiles": {
///     "local": { "redisUrl": "redis://127.0.0.1:6390/0",
///                "databaseUrl": "postgresql://wwctl:secret@127.0.0.1:5490/waywise" },
///     "prod":  { "redisUrl": "rediss://ops@10.0.0.5:6380/0", "passwordFile": "/etc/wwctl/redis.pass",
///                "cacert": "/etc/wwctl/redis-ca.pem", "databaseUrl": "host=db1 dbname=waywise",
///                "keyPrefix": "", "timeout": 3, "production": true },
///     "ha":    { "sentinels": ["10.0.0.7:26379", "10.0.0.8:26379"], "master": "waywise",
///                "readFrom": "replica" }
///   }
/// }
/// ```
///
/// The Redis connection settings are the flags' (`--tls`, `--cacert`, …, `--redis-user`,
/// `--sentinel`, `--master`, `--read-from`, `--replica-url`) in camelCase; relative file
/// names are relative to the config file's folder. `passwordFile` names a file holding the
/// Redis password (one line), readable by its owner only (mode 0600), so a cron line holds
/// no secret.
struct ConfigFile: Decodable, Sendable {
    struct Profile: Decodable, Sendable {
        var redisUrl: String?
        var databaseUrl: String?
        var keyPrefix: String?
        var timeout: Double?
        /// Marks a production target: the REPL prompt is highlighted.
        var production: Bool?

        var tls: Bool?
        var cacert: String?
        var cacertdir: String?
        var cert: String?
        var key: String?
        var sni: String?
        var insecure: Bool?
        var redisUser: String?
        var passwordFile: String?
        var sentinels: [String]?
        var master: String?
        var readFrom: String?
        var replicaUrl: String?
    }

    var defaultProfile: String?
    var profiles: [String: Profile]

    enum CodingKeys: String, CodingKey { case defaultProfile, profiles }

    init(defaultProfile: String? = nil, profiles: [String: Profile] = [:]) {
        self.defaultProfile = defaultProfile
        self.profiles = profiles
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultProfile = try container.decodeIfPresent(String.self, forKey: .defaultProfile)
        profiles = try container.decodeIfPresent([String: Profile].self, forKey: .profiles) ?? [:]
    }

    /// Where the file is looked for.
    static func defaultPath(environment: [String: String]) -> String? {
        if let explicit = environment["WWCTL_CONFIG"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/wwctl/config.json" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/wwctl/config.json" }
        return nil
    }

    /// The file `environment` points at, and its path: a missing file is an empty
    /// configuration, unless `$WWCTL_CONFIG` named it.
    static func load(environment: [String: String]) throws -> (file: ConfigFile, path: String?) {
        let path = defaultPath(environment: environment)
        let explicit = path != nil && path == environment["WWCTL_CONFIG"]
        return (try load(path: path, mustExist: explicit), path)
    }

    /// Reads, checks (`ConfigValidation`) and decodes the file; a missing file is an empty
    /// configuration unless it `mustExist`.
    static func load(path: String?, mustExist: Bool = false) throws -> ConfigFile {
        guard let path else { return ConfigFile() }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if FileManager.default.fileExists(atPath: path) {
                throw WWError.usage("config file \(path): cannot be read")
            }
            if mustExist { throw ConfigValidation.missingExplicitFile(path) }
            return ConfigFile()
        }
        try ConfigValidation.check(Array(data), path: path)
        do {
            return try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch let error as DecodingError {
            throw WWError.usage("config file \(path): \(Self.describe(error))")
        } catch {
            throw WWError.usage("config file \(path): not valid JSON")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .typeMismatch(let type, let context): return "wrong type\(path(context)), expected \(type)"
        case .valueNotFound(let type, let context): return "missing value\(path(context)), expected \(type)"
        case .keyNotFound(let key, let context): return "missing key \(key.stringValue)\(path(context))"
        case .dataCorrupted(let context): return "not valid JSON\(path(context))"
        @unknown default: return "not valid"
        }
    }
}
