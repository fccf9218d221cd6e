/// What the operator pointed wwctl at: one server (`redis://`, `rediss://`, `unix://`) or a
/// Sentinel-managed primary (`redis+sentinel://`). `RedisTopology` turns it into
/// connections; nothing above that sees which kind it was.
public enum RedisTarget: Sendable, Hashable, CustomStringConvertible {
    case standalone(RedisURL)
    case sentinel(RedisSentinelGroup)

    /// A usage error names what is wrong, never repeating the text (it may hold a password).
    public init(parsing text: String) throws {
        let scheme = text.prefix(while: { $0 != ":" }).lowercased()
        if scheme.hasSuffix("+sentinel") {
            self = .sentinel(try RedisSentinelGroup(parsing: text))
        } else {
            self = .standalone(try RedisURL(parsing: text))
        }
    }

    /// The URL with its password replaced by `***`.
    public var masked: String {
        switch self {
        case .standalone(let url): url.masked
        case .sentinel(let group): group.masked
        }
    }

    /// For messages: never carries credentials.
    public var address: String {
        switch self {
        case .standalone(let url): url.address
        case .sentinel(let group): group.address
        }
    }

    public var description: String { masked }

    public var database: Int {
        switch self {
        case .standalone(let url): url.database
        case .sentinel(let group): group.database
        }
    }

    /// Whether the servers are reached over TCP (TLS needs it).
    public var isTCP: Bool {
        if case .standalone(let url) = self, case .unix = url.endpoint { return false }
        return true
    }

    public var username: String? {
        get { self[\.username, \.username] }
        set { self[\.username, \.username] = newValue }
    }

    public var password: String? {
        get { self[\.password, \.password] }
        set { self[\.password, \.password] = newValue }
    }

    public var tls: RedisTLS? {
        get { self[\.tls, \.tls] }
        set { self[\.tls, \.tls] = newValue }
    }

    /// A setting both kinds have, by its path in each.
    private subscript<Value>(url: WritableKeyPath<RedisURL, Value>, group: WritableKeyPath<RedisSentinelGroup, Value>) -> Value {
        get {
            switch self {
            case .standalone(let target): target[keyPath: url]
            case .sentinel(let target): target[keyPath: group]
            }
        }
        set {
            switch self {
            case .standalone(var target):
                target[keyPath: url] = newValue
                self = .standalone(target)
            case .sentinel(var target):
                target[keyPath: group] = newValue
                self = .sentinel(target)
            }
        }
    }
}
