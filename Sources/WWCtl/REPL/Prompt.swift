import Postgres
import Redis

/// The interactive prompt: `wwctl prod redis@10.0.0.5/0 pg@waywise> `. It names what the
/// next command will touch; a profile marked `production` stands out in red (when colour
/// is on), so a destructive command is never typed against it by accident.
///
/// A profile's `prompt` sets its form: `%p` the profile, `%r` the Redis host (and
/// database), `%d` the PostgreSQL database name, `%%` a percent sign. The default,
/// `wwctl %p redis@%r pg@%d> `, keeps to `maxWidth` columns, so an 80-column terminal has
/// room to type; the full targets are printed when the REPL starts and by `whereami`.
enum Prompt {
    static let defaultFormat = "wwctl %p redis@%r pg@%d> "

    /// Columns the default prompt keeps to: what does not fit is cut with `…`.
    static let maxWidth = 40

    static func text(
        format: String?, profile: String?, production: Bool, redis: RedisTarget, postgres: PostgresTarget, style: Style
    ) -> String {
        var host = redisHost(redis.address)
        var database = databaseName(postgres.address)
        let name = profile ?? ""
        if format == nil {
            // Cut the longer of the two targets until the prompt fits.
            let fixed = expand(defaultFormat, profile: name, redis: "r", database: "d").count - 2
            while fixed + host.count + database.count > maxWidth, host.count + database.count > 2 {
                if host.count >= database.count { host = String(host.dropLast(2)) + "…" }
                else { database = String(database.dropLast(2)) + "…" }
            }
        }
        let shown = name.isEmpty ? "" : (production ? style.inverse(style.red(name)) : style.cyan(name))
        return expand(format ?? defaultFormat, profile: shown, redis: host, database: database)
    }

    /// `format` with its `%` codes replaced; a code with nothing to show takes the blank
    /// after it along (`wwctl %p redis@…` without a profile is `wwctl redis@…`).
    static func expand(_ format: String, profile: String, redis: String, database: String) -> String {
        var out = ""
        var characters = format[...]
        while let character = characters.popFirst() {
            guard character == "%", let code = characters.popFirst() else {
                out.append(character)
                continue
            }
            let value: String
            switch code {
            case "p": value = profile
            case "r": value = redis
            case "d": value = database
            case "%": value = "%"
            default: value = "%" + String(code)
            }
            out += value
            if value.isEmpty, characters.first == " " { characters.removeFirst() }
        }
        return out
    }

    /// When the settings cannot be resolved (an unknown profile in the environment).
    static let unresolved = "wwctl> "

    /// Continuation of a line that ended with a backslash.
    static let continuation = "> "

    /// `10.0.0.5:6379/0` → `10.0.0.5/0`: the default port is noise in a prompt.
    static func redisHost(_ address: String) -> String {
        guard let range = address.firstRange(of: ":6379") else { return address }
        let after = address[range.upperBound...]
        guard after.isEmpty || after.hasPrefix("/") else { return address }
        return String(address[..<range.lowerBound]) + after
    }

    /// `db1:5432/waywise` → `waywise`; an address without a database name stays whole.
    static func databaseName(_ address: String) -> String {
        guard let slash = address.lastIndex(of: "/"), address.index(after: slash) < address.endIndex else { return address }
        return String(address[address.index(after: slash)...])
    }
}
