import CLibpq
import Glibc
import Support

extension PostgresTarget {
    /// Why the target is not well-formed, found without libpq (so settings can say it
    /// before any library is loaded): a bare word, a missing `=`, an unterminated quote, or
    /// a value libpq would only refuse at connect time (a port out of range, an `sslmode`
    /// it does not have). nil when none of these is wrong.
    public var syntaxProblem: String? {
        // What follows a syntax error may be a password: the reason is redacted like libpq's.
        if let malformation { return redact(malformation) }
        for option in options {
            if let problem = Self.problem(with: option.value, of: option.key) { return problem }
        }
        return nil
    }

    /// Throws `syntaxProblem` as a usage error.
    public func validate() throws(PostgresError) {
        if let problem = syntaxProblem { throw malformed(problem) }
    }

    /// `validate()`, then libpq's own parser (`PQconninfoParse`), which also knows the
    /// options of the installed libpq: a malformed target is a usage error (64), and only a
    /// failure to reach a well-formed one is "unavailable" (69).
    func validate(with pq: LibPQ) throws(PostgresError) {
        try validate()
        guard let text = urlOrConninfo else { return }
        var errorText: UnsafeMutablePointer<CChar>?
        guard let options = pq.conninfoParse(text, &errorText) else {
            let reason = LibPQ.string(errorText).map { PostgresError.oneLine(redact($0)) } ?? "cannot be parsed"
            pq.freemem(errorText)
            throw malformed(reason)
        }
        pq.conninfoFree(options)
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
