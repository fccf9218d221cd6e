/// What a key parameter may hold. Keys are `:`-separated, so every kind but `.rest` and
/// `.subject` excludes `:`; `.rest` is the last parameter of a template and takes the
/// remainder of the key whatever it contains.
public enum ParameterKind: Sendable, Hashable, CustomStringConvertible {
    /// A database id as the app prints it: decimal digits, no sign, no leading zeros,
    /// at most `Int64.max` (PostgreSQL `bigint`).
    case integer
    /// A calendar month, `YYYY-MM`.
    case month
    /// One of a fixed set of words (`today`, `week`, `month`).
    case enumeration([String])
    /// A price as the app's JS code prints it (`19.99`, `20`, `1000`; see `JSNumberForm`).
    case decimal
    /// Any non-empty text without `:` (a resource name, a session id, a JWT).
    case token
    /// The rest of the key: non-empty, may contain `:` and `/`. Only as the last parameter.
    case rest
    /// A rate-limit subject: a user id, an IPv4 address or an IPv6 address. It may be
    /// followed only by a final `.rest` parameter (the endpoint). Because an IPv6 address
    /// holds `:`, the boundary is found this way: the endpoint starts at the first segment
    /// after the subject's first one that is an HTTP method (`GET`, `POST`, …) or begins
    /// with `/`, provided the text before it is a valid subject; if there is no such
    /// segment, the subject is the first segment and the endpoint everything after it.
    /// `render` refuses parameters that would not read back the same way.
    case subject

    public var description: String {
        switch self {
        case .integer: "an integer id"
        case .month: "a month YYYY-MM"
        case .enumeration(let values): "one of " + values.joined(separator: ", ")
        case .decimal: "a non-negative decimal with at most 15 significant digits"
        case .token: "non-empty text without ':'"
        case .rest: "non-empty text"
        case .subject: "a user id or an IP address"
        }
    }

    /// Short name for tables and JSON (`integer`, `month`, `enum`, …).
    public var name: String {
        switch self {
        case .integer: "integer"
        case .month: "month"
        case .enumeration: "enum"
        case .decimal: "decimal"
        case .token: "token"
        case .rest: "rest"
        case .subject: "subject"
        }
    }

    /// Every value the kind accepts, when there are finitely many (for completion and warming).
    public var allValues: [String]? {
        if case .enumeration(let values) = self { return values }
        return nil
    }

    /// Whether a value may contain `:`.
    public var allowsColon: Bool {
        switch self {
        case .rest, .subject: true
        default: false
        }
    }

    /// Whether `value` is exactly what the app writes for this kind.
    public func accepts(_ value: some StringProtocol) -> Bool {
        accepts(bytes: value.utf8)
    }

    /// Whether the UTF-8 bytes `utf8` are exactly what the app writes for this kind.
    public func accepts(bytes utf8: some Collection<UInt8>) -> Bool {
        if utf8.isEmpty { return false }
        switch self {
        case .integer:
            return Self.isCanonicalInteger(utf8)
        case .month:
            return Self.isMonth(utf8)
        case .enumeration(let values):
            return values.contains { $0.utf8.elementsEqual(utf8) }
        case .decimal:
            return JSNumberForm.isCanonical(String(decoding: utf8, as: UTF8.self))
        case .token:
            return !utf8.contains(UInt8(ascii: ":"))
        case .rest:
            return true
        case .subject:
            return Self.isCanonicalInteger(utf8) || Self.isIPv4(utf8) || Self.isIPv6(utf8)
        }
    }

    /// The value the app would write for what a caller gave: decimals in JS number form
    /// (`20.00` → `20`), anything else unchanged. Nil when the kind does not accept it.
    public func canonical(_ value: String) -> String? {
        if case .decimal = self {
            return JSNumberForm.string(fromDecimalText: value)
        }
        return accepts(value) ? value : nil
    }

    // MARK: value grammars

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isCanonicalInteger(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first, isDigit(first) else { return false }
        if first == UInt8(ascii: "0") { return utf8.count == 1 }
        guard utf8.count <= 19, utf8.allSatisfy(isDigit) else { return false }
        if utf8.count < 19 { return true }
        return utf8.lexicographicallyPrecedes("9223372036854775808".utf8)
    }

    static func isMonth(_ utf8: some Collection<UInt8>) -> Bool {
        let bytes = Array(utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") else { return false }
        let digits = bytes[0..<4] + bytes[5..<7]
        guard digits.allSatisfy(isDigit) else { return false }
        let month = Int(bytes[5] - 48) * 10 + Int(bytes[6] - 48)
        return (1...12).contains(month)
    }

    /// Dotted quad, each part 0-255 without leading zeros (Node's form).
    static func isIPv4(_ utf8: some Collection<UInt8>) -> Bool {
        let parts = utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(isDigit) else { return false }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
            let number = part.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard number <= 255 else { return false }
        }
        return true
    }

    /// RFC 4291 text form: up to eight groups of 1-4 hex digits, at most one `::`, an
    /// optional trailing IPv4 address (`::ffff:10.0.0.1`), an optional zone (`%eth0`).
    static func isIPv6(_ utf8: some Collection<UInt8>) -> Bool {
        var address = Array(utf8)
        if let percent = address.firstIndex(of: UInt8(ascii: "%")) {
            let zone = address[(percent + 1)...]
            guard !zone.isEmpty, !zone.contains(UInt8(ascii: ":")) else { return false }
            address = Array(address[..<percent])
        }
        guard address.contains(UInt8(ascii: ":")) else { return false }
        let colon = UInt8(ascii: ":")
        var groups = 0
        var sawDoubleColon = false
        var index = 0
        let count = address.count
        if count >= 2 && address[0] == colon && address[1] == colon {
            sawDoubleColon = true
            index = 2
            if index == count { return true }
        } else if address.first == colon {
            return false
        }
        while index < count {
            var end = index
            while end < count && address[end] != colon { end += 1 }
            let group = address[index..<end]
            if group.isEmpty { return false }
            if end == count && group.contains(UInt8(ascii: ".")) {
                guard isIPv4(group) else { return false }
                groups += 2
            } else {
                guard group.count <= 4, group.allSatisfy(isHexDigit) else { return false }
                groups += 1
            }
            if end == count { break }
            // end points at ':'
            if end + 1 < count && address[end + 1] == colon {
                if sawDoubleColon { return false }
                sawDoubleColon = true
                index = end + 2
                if index == count { break }
            } else {
                index = end + 1
                if index == count { return false }
            }
        }
        return sawDoubleColon ? groups <= 7 : groups == 8
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}

/// HTTP methods that can start a rate-limit endpoint (`POST:/api/orders`).
enum HTTPMethod {
    static let names: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"]

    /// Whether a key segment can start an endpoint: a method name or a path.
    static func startsEndpoint(_ segment: ArraySlice<UInt8>) -> Bool {
        guard let first = segment.first else { return false }
        if first == UInt8(ascii: "/") { return true }
        guard segment.count <= 7, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return false }
        return names.contains(String(decoding: segment, as: UTF8.self))
    }
}
