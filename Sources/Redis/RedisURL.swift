import Support

/// Where a Redis server is and how to log in: `redis://[user:password@]host[:port][/db]`,
/// `rediss://…` (the same over TLS, verified against the system's CAs unless `tls` says
/// otherwise) or `unix://[user:password@]/path/to/socket[?db=N]`.
///
/// The user information ends at the *last* `@`, so a password may hold `@`, `:` and `/`
/// raw; `%XX` escapes in user and password are decoded (write a literal `%` as `%25`).
/// Without a `:` the user information is a password alone, as in `redis-cli -u`.
/// `description` is the masked form, so printing a URL never shows its password.
public struct RedisURL: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public static let defaultPort = 6379

    public var endpoint: Endpoint
    public var database: Int
    public var username: String?
    public var password: String?
    /// Nil for a plain connection.
    public var tls: RedisTLS?

    public init(endpoint: Endpoint, database: Int = 0, username: String? = nil, password: String? = nil, tls: RedisTLS? = nil) {
        self.endpoint = endpoint
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
    }

    /// Throws a `.usage` error naming what is wrong; the message never repeats any part of
    /// the text, since a malformed URL may still carry a password.
    public init(parsing text: String) throws {
        guard let separator = text.firstRange(of: "://") else {
            throw Self.invalid("must start with redis://, rediss:// or unix://")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        let (username, password, rest) = try Self.splitUserinfo(text[separator.upperBound...])
        switch scheme {
        case "redis", "rediss":
            let (endpoint, database) = try Self.parseNetworkLocation(rest)
            self.init(
                endpoint: endpoint, database: database, username: username, password: password,
                tls: scheme == "rediss" ? RedisTLS() : nil)
        case "unix":
            let (path, database) = try Self.parseSocketLocation(rest)
            self.init(endpoint: .unix(path: path), database: database, username: username, password: password)
        case "redis+sentinel", "rediss+sentinel":
            throw Self.invalid("a Sentinel URL names a group, not a server; give it as --redis-url")
        default:
            throw Self.invalid("unsupported scheme (use redis://, rediss://, unix:// or redis+sentinel://)")
        }
    }

    /// `user:password@rest` → its decoded parts and the rest. The user information ends at
    /// the last `@`; without a `:` it is a password alone.
    static func splitUserinfo(_ text: Substring) throws -> (username: String?, password: String?, rest: Substring) {
        guard let at = text.lastIndex(of: "@") else { return (nil, nil, text) }
        let userinfo = text[..<at]
        let rest = text[text.index(after: at)...]
        if let colon = userinfo.firstIndex(of: ":") {
            let user = try percentDecoded(userinfo[..<colon], what: "user name")
            let password = try percentDecoded(userinfo[userinfo.index(after: colon)...], what: "password")
            return (user.isEmpty ? nil : user, password, rest)
        }
        return (nil, userinfo.isEmpty ? nil : try percentDecoded(userinfo, what: "password"), rest)
    }

    /// The URL in canonical form with the password replaced by `***`; the user is kept.
    public var masked: String {
        var text: String
        switch endpoint {
        case .tcp: text = tls == nil ? "redis://" : "rediss://"
        case .unix: text = "unix://"
        }
        text += Self.maskedUserinfo(username: username, password: password)
        switch endpoint {
        case .tcp(let host, let port):
            text += "\(Self.bracketed(host)):\(port)/\(database)"
        case .unix(let path):
            text += "\(path)?db=\(database)"
        }
        return text
    }

    /// Where the server is, for display: `127.0.0.1:6391/0` or `/path/redis.sock?db=0`.
    /// Never carries credentials.
    public var address: String {
        switch endpoint {
        case .tcp(let host, let port): "\(Self.bracketed(host)):\(port)/\(database)"
        case .unix(let path): "\(path)?db=\(database)"
        }
    }

    public var description: String { masked }

    /// `user:***@`, `:***@`, `user@` or nothing.
    static func maskedUserinfo(username: String?, password: String?) -> String {
        guard username != nil || password != nil else { return "" }
        return (username.map(percentEncodedUserinfo) ?? "") + (password != nil ? ":***" : "") + "@"
    }

    /// `dump()` and debuggers see the password masked too.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "endpoint": endpoint, "database": database, "username": username as Any,
            "password": password == nil ? "nil" : "***", "tls": tls as Any,
        ])
    }

    // MARK: parsing

    private static func parseNetworkLocation(_ text: Substring) throws -> (Endpoint, Int) {
        let (host, port, location) = try parseHostPort(text, defaultPort: defaultPort)
        var rest = location
        var database = 0
        if rest.first == "/" {
            let pathEnd = rest.firstIndex(where: { "?#".contains($0) }) ?? rest.endIndex
            let digits = rest[rest.index(after: rest.startIndex)..<pathEnd]
            if !digits.isEmpty { database = try databaseNumber(digits) }
            rest = rest[pathEnd...]
        }
        guard rest.isEmpty else {
            throw invalid("unexpected query or fragment (the database goes in the path: redis://host:port/N)")
        }
        return (.tcp(host: host, port: port), database)
    }

    /// `host[:port]` or `[v6]:port` at the start of `text`; the rest starts at `/`, `,` or the end.
    static func parseHostPort(_ text: Substring, defaultPort: Int) throws -> (host: String, port: Int, rest: Substring) {
        var rest = text
        let host: String
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else {
                throw invalid("IPv6 address is missing its closing ']'")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw invalid("IPv6 address in [ ] is not valid")
            }
            rest = rest[rest.index(after: close)...]
            guard rest.isEmpty || rest.first == ":" || rest.first == "/" || rest.first == "," else {
                throw invalid("unexpected text after the IPv6 address")
            }
        } else {
            let end = rest.firstIndex(where: { ":/?#,".contains($0) }) ?? rest.endIndex
            host = String(rest[..<end])
            rest = rest[end...]
            guard !host.isEmpty else { throw invalid("host is missing") }
            guard host.allSatisfy({ !$0.isWhitespace && $0.isASCII && $0 != "[" && $0 != "]" }) else {
                throw invalid("host name is not valid")
            }
        }
        var port = defaultPort
        if rest.first == ":" {
            let digitsEnd = rest.firstIndex(where: { "/?#,".contains($0) }) ?? rest.endIndex
            let digits = rest[rest.index(after: rest.startIndex)..<digitsEnd]
            guard let value = decimal(digits), (1...65535).contains(value) else {
                throw invalid("port must be a number from 1 to 65535")
            }
            port = value
            rest = rest[digitsEnd...]
        }
        return (host, port, rest)
    }

    private static func parseSocketLocation(_ text: Substring) throws -> (String, Int) {
        let pathEnd = text.firstIndex(of: "?") ?? text.endIndex
        let path = String(text[..<pathEnd])
        guard path.hasPrefix("/"), path.count > 1 else {
            throw invalid("unix socket path must be absolute (unix:///path/to/redis.sock)")
        }
        guard !path.contains("#") else { throw invalid("unexpected fragment in unix socket path") }
        var database = 0
        if pathEnd < text.endIndex {
            for parameter in text[text.index(after: pathEnd)...].split(separator: "&", omittingEmptySubsequences: true) {
                let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0] == "db" else {
                    throw invalid("unknown parameter (only ?db=N is accepted)")
                }
                database = try databaseNumber(parts[1])
            }
        }
        return (path, database)
    }

    static func databaseNumber(_ digits: Substring) throws -> Int {
        guard let value = decimal(digits), value <= Int(Int32.max) else {
            throw invalid("database must be a non-negative number")
        }
        return value
    }

    private static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 10, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    static func percentDecoded(_ text: Substring, what: String) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexDigitValue), let low = iterator.next().flatMap(hexDigitValue) else {
                throw invalid("\(what) has a % not followed by two hex digits (write % as %25)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw invalid("\(what) is not valid UTF-8 after percent-decoding")
        }
        return decoded
    }

    static func percentEncodedUserinfo(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            let unreserved = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || "-._~".utf8.contains(byte)
            if unreserved {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    static func invalid(_ problem: String) -> WWError {
        .usage("invalid Redis URL: \(problem)")
    }
}
