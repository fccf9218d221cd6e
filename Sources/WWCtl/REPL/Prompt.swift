import Postgres
import Redis

/// The interactive prompt: `wwctl prod redis@10.0.0.5:6379/0 pg@db1/waywise> `. It names
/// what the next command will touch; a profile marked `production` stands out in red
/// (when colour is on), so a destructive command is never typed against it by accident.
enum Prompt {
    static func text(profile: String?, production: Bool, redis: RedisTarget, postgres: PostgresTarget, style: Style) -> String {
        var parts = ["wwctl"]
        if let profile, !profile.isEmpty {
            parts.append(production ? style.inverse(style.red(profile)) : style.cyan(profile))
        }
        parts.append("redis@" + redis.address)
        parts.append("pg@" + postgresAddress(postgres.address))
        return parts.joined(separator: " ") + "> "
    }

    /// When the settings cannot be resolved (an unknown profile in the environment).
    static let unresolved = "wwctl> "

    /// Continuation of a line that ended with a backslash.
    static let continuation = "> "

    /// `db1:5432/waywise` → `db1/waywise`: the default port is noise in a prompt.
    static func postgresAddress(_ address: String) -> String {
        guard let range = address.firstRange(of: ":5432") else { return address }
        let after = address[range.upperBound...]
        guard after.isEmpty || after.hasPrefix("/") else { return address }
        return String(address[..<range.lowerBound]) + after
    }
}
