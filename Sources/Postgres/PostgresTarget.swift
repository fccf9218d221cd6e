import Glibc
import Support

/// What to connect to: a `postgresql://` URL, a libpq `key=value` conninfo string, or
/// nothing (libpq then reads the `PG*` environment). Understood here without libpq, so
/// that showing a target (`config show`, error messages) never loads the library.
///
/// Masking errs on the side of hiding: when a string is malformed, everything from
/// the point where it stops making sense is masked too.
public struct PostgresTarget: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// What the operator gave, password included: pass it to libpq, never print it.
    public let urlOrConninfo: String?
    /// The same with every password (`password`, `sslpassword`) replaced by `***`.
    public private(set) var masked: String
    /// `host:port/db` as far as the string (or the `PG*` environment) says; the
    /// connection replaces it with what libpq actually used.
    public private(set) var address: String
    /// Decoded passwords, removed from any message that might echo them.
    let secrets: [String]
    /// Why the string is not a well-formed URL or conninfo (see `syntaxProblem`), or nil.
    let malformation: String?
    /// The options the string sets, decoded (`port`, `sslmode`, …), password excepted.
    let options: [(key: String, value: String)]

    public init(urlOrConninfo: String?) {
        let trimmed = urlOrConninfo?.trimmingSpaces
        let text = (trimmed?.isEmpty ?? true) ? nil : urlOrConninfo
        self.urlOrConninfo = text
        let parsed: Parsed
        if let text {
            if Self.isURL(text) {
                parsed = Self.parseURL(text)
            } else if text.contains("=") {
                parsed = Self.parseConninfo(text)
            } else {
                // libpq would take a string without `=` as a database name; the contract says
                // a URL or a conninfo, so a bare word is a mistake (`--database-url garbage`).
                parsed = Parsed(masked: text, db: text, malformation: "neither a postgresql:// URL nor key=value pairs")
            }
        } else {
            parsed = Self.fromEnvironment()
        }
        masked = parsed.masked
        secrets = parsed.secrets.filter { !$0.isEmpty }
        malformation = parsed.malformation
        options = parsed.options
        address = Self.address(host: parsed.host, port: parsed.port, db: parsed.db)
    }

    public var description: String { masked }

    /// `dump()` and debuggers see the masked form only, as `RedisURL`'s password is masked:
    /// the URL or conninfo and the secrets taken from it are never shown.
    public var customMirror: Mirror {
        Mirror(self, children: ["masked": masked])
    }

    /// `text` with every password of this target replaced by `***`. Used on messages
    /// from libpq, which quotes pieces of a malformed conninfo back.
    public func redact(_ text: String) -> String {
        var result = text
        // Very short passwords would mangle ordinary words and are not recognisable anyway.
        for secret in secrets where secret.count >= 3 {
            result = result.replacing(secret, with: "***")
        }
        return result
    }

    public static func == (lhs: PostgresTarget, rhs: PostgresTarget) -> Bool { lhs.urlOrConninfo == rhs.urlOrConninfo }
    public func hash(into hasher: inout Hasher) { hasher.combine(urlOrConninfo) }

    static func address(host: String?, port: String?, db: String?) -> String {
        let host = host ?? libpqEnvironment("PGHOST") ?? libpqEnvironment("PGHOSTADDR") ?? "localhost"
        let db = db ?? libpqEnvironment("PGDATABASE")
        // A host list (`h1:5432,h2:5433`) carries its own ports.
        if host.contains(",") { return host + (db.map { "/\($0)" } ?? "") }
        let port = port ?? libpqEnvironment("PGPORT") ?? "5432"
        let shownHost = host.contains(":") && !host.hasPrefix("/") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(shownHost):\(port)" + (db.map { "/\($0)" } ?? "")
    }

    // MARK: parsing

    struct Parsed {
        var masked: String
        var secrets: [String] = []
        var host: String?
        var port: String?
        var db: String?
        var malformation: String?
        var options: [(key: String, value: String)] = []
    }

    static let secretKeys: Set<String> = ["password", "sslpassword"]

    static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// `postgresql://[user[:password]@][host][:port][,…][/dbname][?key=value&…]`.
    /// The user part ends at the last `@`, so a password with a raw `@` is masked whole.
    static func parseURL(_ text: String) -> Parsed {
        let chars = Array(text)
        guard let schemeEnd = text.firstRange(of: "://") else { return Parsed(masked: text) }
        let restStart = text.distance(from: text.startIndex, to: schemeEnd.upperBound)
        var out = String(chars[..<restStart])
        var parsed = Parsed(masked: "")
        var hostStart = restStart
        if let lastAt = chars[restStart...].lastIndex(of: "@") {
            let userinfo = chars[restStart..<lastAt]
            if let colon = userinfo.firstIndex(of: ":") {
                out += String(chars[restStart..<colon]) + ":***"
                parsed.secrets.append(percentDecoded(String(chars[(colon + 1)..<lastAt])))
                parsed.secrets.append(String(chars[(colon + 1)..<lastAt]))
            } else {
                out += String(userinfo)
            }
            out += "@"
            hostStart = lastAt + 1
        }
        let hostEnd = chars[hostStart...].firstIndex { $0 == "/" || $0 == "?" } ?? chars.count
        let hostPart = String(chars[hostStart..<hostEnd])
        out += hostPart
        if !hostPart.isEmpty {
            let (host, port) = splitHostPort(hostPart)
            parsed.host = host.isEmpty ? nil : percentDecoded(host)
            parsed.port = port
            if hostPart.contains(",") {
                // h1:5432,h2:5433: each host's port.
                let ports = hostPart.split(separator: ",").map { splitHostPort(String($0)).1 ?? "" }
                parsed.options.append(("port", ports.joined(separator: ",")))
            } else if let port {
                parsed.options.append(("port", port))
            }
        }
        var index = hostEnd
        if index < chars.count, chars[index] == "/" {
            let dbEnd = chars[index...].firstIndex(of: "?") ?? chars.count
            let db = String(chars[(index + 1)..<dbEnd])
            parsed.db = db.isEmpty ? nil : percentDecoded(db)
            out += String(chars[index..<dbEnd])
            index = dbEnd
        }
        if index < chars.count {
            // chars[index] == "?"
            out += "?"
            let query = Array(chars[(index + 1)...])
            out += maskQuery(query, into: &parsed)
        }
        parsed.masked = out
        return parsed
    }

    /// `host[:port]` or `[v6]:port`; with several hosts (`h1:5432,h2`), the whole list.
    private static func splitHostPort(_ part: String) -> (String, String?) {
        if part.contains(",") { return (part, nil) }
        if part.hasPrefix("["), let close = part.firstIndex(of: "]") {
            let host = String(part[part.index(after: part.startIndex)..<close])
            let after = part[part.index(after: close)...]
            return (host, after.hasPrefix(":") ? String(after.dropFirst()) : nil)
        }
        if let colon = part.lastIndex(of: ":") {
            return (String(part[..<colon]), String(part[part.index(after: colon)...]))
        }
        return (part, nil)
    }

    /// Masks `password=` and `sslpassword=` values; a value runs to the next `&` that
    /// starts another `key=`, so a raw `&` inside a password does not end the mask.
    private static func maskQuery(_ query: [Character], into parsed: inout Parsed) -> String {
        var segments: [[Character]] = [[]]
        for (i, c) in query.enumerated() {
            if c == "&", startsParameter(query, at: i + 1) {
                segments.append([])
            } else {
                segments[segments.count - 1].append(c)
            }
        }
        var out: [String] = []
        for segment in segments {
            guard let eq = segment.firstIndex(of: "=") else {
                out.append(String(segment))
                continue
            }
            let key = percentDecoded(String(segment[..<eq])).lowercased()
            let value = String(segment[(eq + 1)...])
            switch key {
            case _ where secretKeys.contains(key):
                parsed.secrets.append(percentDecoded(value))
                parsed.secrets.append(value)
                out.append(String(segment[..<eq]) + "=***")
                continue
            case "host", "hostaddr":
                if parsed.host == nil || key == "host" { parsed.host = percentDecoded(value) }
            case "port": parsed.port = percentDecoded(value)
            case "dbname": parsed.db = percentDecoded(value)
            default: break
            }
            parsed.options.append((key, percentDecoded(value)))
            out.append(String(segment))
        }
        return out.joined(separator: "&")
    }

    private static func startsParameter(_ chars: [Character], at start: Int) -> Bool {
        var i = start
        while i < chars.count, chars[i].isLetter || chars[i] == "_" || chars[i] == "%" || chars[i].isNumber { i += 1 }
        return i > start && i < chars.count && chars[i] == "="
    }

    /// libpq's conninfo: `key = value` pairs separated by spaces, values bare or in
    /// single quotes, `\` escaping the next character in both.
    static func parseConninfo(_ text: String) -> Parsed {
        let chars = Array(text)
        var parsed = Parsed(masked: "")
        var out = ""
        var i = 0
        // Whatever follows a syntax error may be part of a password: it is masked, and
        // redacted from libpq's complaint, which quotes it.
        func fail(at position: Int, _ reason: String) -> Parsed {
            var failed = parsed
            failed.malformation = reason
            failed.masked = out + (position < chars.count ? "***" : "")
            let tail = String(chars[position...])
            failed.secrets.append(tail)
            failed.secrets += tail.split(whereSeparator: { $0.isWhitespace || $0 == "'" || $0 == "=" }).map(String.init)
            return failed
        }
        while i < chars.count {
            let gapStart = i
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            out += String(chars[gapStart..<i])
            if i == chars.count { break }
            let keyStart = i
            while i < chars.count, chars[i] != "=", !chars[i].isWhitespace { i += 1 }
            let key = String(chars[keyStart..<i])
            var j = i
            while j < chars.count, chars[j].isWhitespace { j += 1 }
            guard j < chars.count, chars[j] == "=" else {
                return fail(at: keyStart, "missing \"=\" after \"\(TerminalText.echoed(key))\"")
            }
            j += 1
            while j < chars.count, chars[j].isWhitespace { j += 1 }
            let prefix = String(chars[keyStart..<j])
            var value = ""
            var k = j
            if k < chars.count, chars[k] == "'" {
                k += 1
                var closed = false
                while k < chars.count {
                    if chars[k] == "\\", k + 1 < chars.count {
                        value.append(chars[k + 1])
                        k += 2
                    } else if chars[k] == "'" {
                        closed = true
                        k += 1
                        break
                    } else {
                        value.append(chars[k])
                        k += 1
                    }
                }
                if !closed {
                    out += prefix
                    return fail(at: j, "unterminated quoted value of \(TerminalText.echoed(key))")
                }
            } else {
                while k < chars.count, !chars[k].isWhitespace {
                    if chars[k] == "\\", k + 1 < chars.count {
                        value.append(chars[k + 1])
                        k += 2
                    } else {
                        value.append(chars[k])
                        k += 1
                    }
                }
            }
            let lowered = key.lowercased()
            if secretKeys.contains(lowered) {
                parsed.secrets.append(value)
                out += prefix + "***"
            } else {
                parsed.options.append((lowered, value))
                out += String(chars[keyStart..<k])
                switch lowered {
                case "host": parsed.host = value
                case "hostaddr": if parsed.host == nil { parsed.host = value }
                case "port": parsed.port = value
                case "dbname": parsed.db = value
                default: break
                }
            }
            i = k
        }
        parsed.masked = out
        return parsed
    }

    /// Nothing given: libpq reads `PGHOST`, `PGPORT`, …; show those, password masked.
    static func fromEnvironment() -> Parsed {
        var parts: [String] = []
        for (variable, key) in [("PGHOST", "host"), ("PGHOSTADDR", "hostaddr"), ("PGPORT", "port"),
                                ("PGDATABASE", "dbname"), ("PGUSER", "user")] {
            if let value = libpqEnvironment(variable) { parts.append("\(key)=\(value)") }
        }
        let password = libpqEnvironment("PGPASSWORD")
        if password != nil { parts.append("password=***") }
        return Parsed(
            masked: parts.isEmpty ? "libpq defaults" : parts.joined(separator: " "),
            secrets: password.map { [$0] } ?? [],
            host: nil, port: nil, db: nil)
    }

    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexDigitValue(utf8[utf8.startIndex]), let low = hexDigitValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A `PG*` variable as libpq reads it: unset and empty are the same.
private func libpqEnvironment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
}
