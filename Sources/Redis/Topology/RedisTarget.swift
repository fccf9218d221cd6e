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
        get {
            switch self {
            case .standalone(let url): url.username
            case .sentinel(let group): group.username
            }
        }
        set {
            switch self {
            case .standalone(var url): url.username = newValue; self = .standalone(url)
            case .sentinel(var group): group.username = newValue; self = .sentinel(group)
            }
        }
    }

    public var password: String? {
        get {
            switch self {
            case .standalone(let url): url.password
            case .sentinel(let group): group.password
            }
        }
        set {
            switch self {
            case .standalone(var url): url.password = newValue; self = .standalone(url)
            case .sentinel(var group): group.password = newValue; self = .sentinel(group)
            }
        }
    }

    public var tls: RedisTLS? {
        get {
            switch self {
            case .standalone(let url): url.tls
            case .sentinel(let group): group.tls
            }
        }
        set {
            switch self {
            case .standalone(var url): url.tls = newValue; self = .standalone(url)
            case .sentinel(var group): group.tls = newValue; self = .sentinel(group)
            }
        }
    }
}
