import Support

/// What went wrong when a key, pattern or plan was built from parameters.
///
/// Names the family (or template), the parameter and the offending value, in one line:
/// values are shown escaped and shortened, so a 1 MB token or a newline in an argument
/// never breaks the one-line rule.
public enum KeyspaceError: CategorizedError, Equatable {
    /// `--family prodcut`: no such family (with the nearest name, when one is close).
    case unknownFamily(name: String, suggestion: String?)
    /// A parameter the template needs was not given.
    case missingParameter(template: String, name: String)
    /// A parameter the template does not have was given.
    case unknownParameter(template: String, name: String, known: [String])
    /// A value that the parameter's kind does not accept.
    case invalidParameter(template: String, name: String, value: String, expected: String)
    /// The parameters render a key that would read back as different parameters
    /// (`ratelimit` with an IPv6 subject and an endpoint that is not a method or path).
    case ambiguousKey(template: String, key: String)

    public var category: ErrorCategory {
        switch self {
        case .unknownFamily, .missingParameter, .unknownParameter: .usage
        case .invalidParameter, .ambiguousKey: .dataError
        }
    }

    public var message: String {
        switch self {
        case .unknownFamily(let name, let suggestion):
            if let suggestion {
                return "unknown family '\(Self.display(name))', did you mean '\(suggestion)'?"
            }
            return "unknown family '\(Self.display(name))'"
        case .missingParameter(let template, let name):
            return "\(template): missing parameter \(name)"
        case .unknownParameter(let template, let name, let known):
            let list = known.isEmpty ? "it has none" : "known: " + known.joined(separator: ", ")
            return "\(template): unknown parameter '\(Self.display(name))' (\(list))"
        case .invalidParameter(let template, let name, let value, let expected):
            return "\(template): parameter \(name) must be \(expected), got '\(Self.display(value))'"
        case .ambiguousKey(let template, let key):
            return "\(template): parameters render '\(Self.display(key))', which reads back differently"
        }
    }

    /// A value made safe for a one-line message: control characters, quotes and
    /// backslashes escaped, at most 80 characters kept.
    static func display(_ value: String) -> String {
        var out = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == 80 {
                out += "…"
                break
            }
            count += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
