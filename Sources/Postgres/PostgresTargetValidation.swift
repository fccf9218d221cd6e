import CLibpq
import Glibc
import Support

extension PostgresTarget {
    /// Checks that the target is well-formed before connecting, so that a malformed one is
    /// a usage error (64) and only a failure to reach a well-formed target is "unavailable"
    /// (69): libpq's own parser (`PQconninfoParse`: URL or `key=value` syntax, unterminated
    /// quotes, unknown options, a bare word) and then the values libpq would only refuse at
    /// connect time (a port out of range, an `sslmode` it does not have).
    func validate(with pq: LibPQ) throws(PostgresError) {
        guard let text = urlOrConninfo else { return }
        var errorText: UnsafeMutablePointer<CChar>?
        guard let options = pq.conninfoParse(text, &errorText) else {
            let reason = LibPQ.string(errorText).map { PostgresError.oneLine(redact($0)) } ?? "cannot be parsed"
            pq.freemem(errorText)
            throw malformed(reason)
        }
        defer { pq.conninfoFree(options) }
        var index = 0
        while let keyword = options[index].keyword {
            defer { index += 1 }
            guard let raw = options[index].val else { continue }
            let name = String(cString: keyword)
            if let problem = Self.problem(with: String(cString: raw), of: name) {
                throw malformed(problem)
            }
        }
    }

    private func malformed(_ reason: String) -> PostgresError {
        PostgresError(
            sqlState: nil, primary: "malformed database URL \(TerminalText.echoed(masked)): \(reason)",
            address: address, category: .usage)
    }

    /// Options whose values are one of a few words, as libpq 15 has them.
    private static let choices: [String: [String]] = [
        "sslmode": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
        "gssencmode": ["disable", "prefer", "require"],
        "channel_binding": ["disable", "prefer", "require"],
        "target_session_attrs": ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"],
        "sslcompression": ["0", "1"],
        "sslsni": ["0", "1"],
    ]

    /// Options that are a number of seconds or a count.
    private static let counts: Set<String> = [
        "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
    ]

    /// What is wrong with `value` for option `name`, or nil.
    static func problem(with value: String, of name: String) -> String? {
        if name == "port" {
            // A port per host: `5432,5433`, empty for the default.
            for port in value.split(separator: ",", omittingEmptySubsequences: false) where !port.isEmpty {
                guard let number = Int(port), (1...65535).contains(number) else {
                    return "port '\(TerminalText.echoed(String(port)))' is not a number from 1 to 65535"
                }
            }
        } else if let allowed = choices[name], !allowed.contains(value) {
            return "\(name) '\(TerminalText.echoed(value))' is not one of \(allowed.joined(separator: ", "))"
        } else if counts.contains(name), Int(value).map({ $0 < 0 }) ?? true {
            return "\(name) '\(TerminalText.echoed(value))' is not a whole number"
        }
        return nil
    }
}
