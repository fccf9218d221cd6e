import Support

/// Nodes of a Redis Cluster to start from, written `redis://[user:password@]h1:7000,h2:7001[/db]`
/// (`rediss://` for TLS): any one of them that answers gives the slot map. They share the
/// login, TLS and database of the URL.
public struct RedisClusterSeeds: Sendable, Hashable {
    /// The first node, with the login, TLS and database every node uses.
    public var first: RedisURL
    /// The other nodes given.
    public var others: [RedisURL.Endpoint]

    public init(first: RedisURL, others: [RedisURL.Endpoint] = []) {
        self.first = first
        self.others = others
    }

    /// Every seed as a URL of its own.
    public var urls: [RedisURL] {
        [first] + others.map { endpoint in
            var url = first
            url.endpoint = endpoint
            return url
        }
    }

    /// `127.0.0.1:6381,127.0.0.1:6382/0`: for messages, never with credentials.
    public var address: String {
        let nodes = ([first.endpoint] + others).map(RedisSentinelGroup.hostPort).joined(separator: ",")
        return "\(nodes)/\(first.database)"
    }

    /// `redis://user:***@h1:7000,h2:7001/0`.
    public var masked: String {
        (first.tls == nil ? "redis://" : "rediss://")
            + RedisURL.maskedUserinfo(username: first.username, password: first.password)
            + address
    }

    /// Parses a list of nodes, or returns nil when `text` names one server (no `,` after
    /// the login): then it is an ordinary `RedisURL`.
    static func parseList(_ text: String) throws -> RedisClusterSeeds? {
        guard let separator = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "redis" || scheme == "rediss" else { return nil }
        let (username, password, location) = try RedisURL.splitUserinfo(text[separator.upperBound...])
        guard location.contains(",") else { return nil }
        var rest = location
        var endpoints: [RedisURL.Endpoint] = []
        while true {
            let (host, port, after) = try RedisURL.parseHostPort(rest, defaultPort: RedisURL.defaultPort)
            endpoints.append(.tcp(host: host, port: port))
            rest = after
            guard rest.first == "," else { break }
            rest = rest.dropFirst()
        }
        // The database and anything after the nodes, checked as a one-node URL would be.
        var first = try RedisURL(parsing: "\(scheme)://seed:1\(rest)")
        first.endpoint = endpoints[0]
        first.username = username
        first.password = password
        return RedisClusterSeeds(first: first, others: Array(endpoints.dropFirst()))
    }
}

/// Whether `RedisTopology` treats its target as a Redis Cluster.
public enum RedisClusterMode: Sendable, Hashable {
    /// A seed list is a cluster; one server is one when `INFO cluster` says so.
    case detect
    /// `--cluster`: the server given is a node of a cluster.
    case on
    /// `--no-cluster`: the server given is addressed alone, even if it is a cluster node.
    case off
}
