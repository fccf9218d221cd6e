import Support

/// A Sentinel-managed primary: the sentinels to ask, the master name they know it by, and
/// how to log in to the servers they name. Written
/// `redis+sentinel://[user:password@]host1:26379,host2:26379/mymaster[/db]` (as several
/// clients write it; `rediss+sentinel://` for TLS to sentinels and servers alike), or
/// `--sentinel host:port … --master NAME`.
///
/// The credentials are for the servers (primary and replicas). Sentinels are asked without
/// them, and with them only when a sentinel answers `NOAUTH` (one with `requirepass`).
public struct RedisSentinelGroup: Sendable, Hashable, CustomStringConvertible {
    public static let defaultPort = 26379

    public var sentinels: [RedisURL.Endpoint]
    public var masterName: String
    public var database: Int
    public var username: String?
    public var password: String?
    public var tls: RedisTLS?

    public init(
        sentinels: [RedisURL.Endpoint], masterName: String, database: Int = 0,
        username: String? = nil, password: String? = nil, tls: RedisTLS? = nil
    ) {
        self.sentinels = sentinels
        self.masterName = masterName
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
    }

    /// Parses a `redis+sentinel://` URL; a usage error names what is wrong and never
    /// repeats the text (it may hold a password).
    public init(parsing text: String) throws {
        guard let separator = text.firstRange(of: "://") else { throw Self.invalid("must start with redis+sentinel://") }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "redis+sentinel" || scheme == "rediss+sentinel" else {
            throw Self.invalid("must start with redis+sentinel:// or rediss+sentinel://")
        }
        let (username, password, location) = try RedisURL.splitUserinfo(text[separator.upperBound...])
        var rest = location
        var sentinels: [RedisURL.Endpoint] = []
        while true {
            let (host, port, after) = try RedisURL.parseHostPort(rest, defaultPort: Self.defaultPort)
            sentinels.append(.tcp(host: host, port: port))
            rest = after
            guard rest.first == "," else { break }
            rest = rest.dropFirst()
        }
        guard rest.first == "/" else { throw Self.invalid("the master name is missing (…:26379/mymaster)") }
        let path = rest.dropFirst()
        guard !path.contains(where: { "?#".contains($0) }) else {
            throw Self.invalid("unexpected query or fragment (…/mymaster/N)")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw Self.invalid("unexpected text after the database (…/mymaster/N)") }
        let name = try RedisURL.percentDecoded(parts[0], what: "master name")
        guard Self.isValidMasterName(name) else {
            throw Self.invalid("the master name is missing or not printable (…:26379/mymaster)")
        }
        let database = parts.count == 2 && !parts[1].isEmpty ? try RedisURL.databaseNumber(parts[1]) : 0
        self.init(
            sentinels: sentinels, masterName: name, database: database, username: username, password: password,
            tls: scheme == "rediss+sentinel" ? RedisTLS() : nil)
    }

    /// One sentinel as `--sentinel` takes it: `host`, `host:port` or `[v6]:port`.
    public static func endpoint(parsing text: String) throws -> RedisURL.Endpoint {
        let (host, port, rest) = try RedisURL.parseHostPort(Substring(text), defaultPort: defaultPort)
        guard rest.isEmpty else { throw WWError.usage("sentinel '\(text)' is not host:port") }
        return .tcp(host: host, port: port)
    }

    /// Printable, no spaces: what `sentinel monitor` accepts as a name in practice.
    public static func isValidMasterName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256 && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// `redis+sentinel://user:***@h1:26379,h2:26379/mymaster/0`.
    public var masked: String {
        (tls == nil ? "redis+sentinel://" : "rediss+sentinel://")
            + RedisURL.maskedUserinfo(username: username, password: password)
            + sentinelList + "/\(masterName)/\(database)"
    }

    /// `h1:26379,h2:26379/mymaster/0`: for messages, never with credentials.
    public var address: String { "\(sentinelList)/\(masterName)/\(database)" }

    public var description: String { masked }

    var sentinelList: String {
        sentinels.map(Self.hostPort).joined(separator: ",")
    }

    static func hostPort(_ endpoint: RedisURL.Endpoint) -> String {
        switch endpoint {
        case .tcp(let host, let port): "\(RedisURL.bracketed(host)):\(port)"
        case .unix(let path): path
        }
    }

    /// A server the sentinels named, with the group's database, credentials and TLS.
    func node(host: String, port: Int) -> RedisURL {
        RedisURL(endpoint: .tcp(host: host, port: port), database: database, username: username, password: password, tls: tls)
    }

    private static func invalid(_ problem: String) -> WWError {
        .usage("invalid Sentinel URL: \(problem)")
    }
}
