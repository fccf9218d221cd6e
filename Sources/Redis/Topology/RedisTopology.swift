import Support

/// Which server read-only walks go to.
public enum RedisReadPreference: String, Sendable, Hashable, CaseIterable {
    /// Everything goes to the primary (the default).
    case primary
    /// Walks that only read (`cache keys`, `metrics --by-family`, `cache lint`, the SCAN of
    /// a dry run) go to a replica; writes and deletions still go to the primary.
    case replica
}

/// A connection for a read-only walk and where it points.
public struct RedisReadEndpoint {
    public let connection: RedisConnection
    public let source: RedisReadSource
}

/// Turns a `RedisTarget` into connections: the seam between services and servers.
///
/// Services are handed connections and never learn how they were found. Today there are
/// two kinds of target:
///
/// - standalone (`redis://`, `rediss://`, `unix://`): the one server, for everything;
/// - Sentinel (`redis+sentinel://`): the primary the sentinels name. The connection keeps a
///   `SentinelPrimaryResolver`, so every reconnect asks again (and checks `ROLE`), and a
///   command that fails mid-flight (connection lost, `READONLY`) asks once more and says in
///   its error where the primary is now. The failed command is never re-sent.
///
/// Reads (`reader()`) go to the primary, or with `RedisReadPreference.replica` to a replica:
/// the one named by `replicaURL`, else one the sentinels report healthy, else one the
/// primary lists online in `INFO replication`. Its lag is measured when it is handed out.
///
/// A Redis Cluster is the third kind: a seed list (`RedisTarget.cluster`), `--cluster`, or
/// one server that answers `cluster_enabled:1` to `INFO cluster` on the first connect
/// (`RedisClusterMode.detect`, the default; one round trip). `cluster()` then hands out a
/// `RedisClusterRouter` (slot map, a connection per primary, MOVED/ASK), and `primary()`,
/// `openPrimary()` and `reader()` refuse with `ClusterError.singleNode`: a command that
/// has not asked for the router would act on one node's share of the keys.
public final class RedisTopology: @unchecked Sendable {
    public let target: RedisTarget
    public let readFrom: RedisReadPreference
    /// A replica named explicitly (`--replica-url`); without credentials or TLS of its own
    /// it uses the target's.
    public let replicaURL: RedisURL?
    public let connectTimeout: Double
    public let commandTimeout: Double
    public let clusterMode: RedisClusterMode

    private var primaryConnection: RedisConnection?
    private var readEndpoint: RedisReadEndpoint?
    private var router: RedisClusterRouter?
    /// What `INFO cluster` said of a standalone target; nil until asked.
    private var isClusterNode: Bool?

    public init(
        target: RedisTarget, readFrom: RedisReadPreference = .primary, replicaURL: RedisURL? = nil,
        connectTimeout: Double = 5, commandTimeout: Double = 5, clusterMode: RedisClusterMode = .detect
    ) {
        self.target = target
        self.readFrom = readFrom
        self.replicaURL = replicaURL
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.clusterMode = clusterMode
    }

    /// The router when the target is a Redis Cluster (see the type), opened on first use
    /// and kept; nil for one server or a Sentinel group.
    public func cluster() throws -> RedisClusterRouter? {
        if let router { return router }
        let seeds: [RedisURL]
        switch target {
        case .sentinel:
            return nil
        case .cluster(let list):
            seeds = list.urls
        case .standalone(let url):
            switch clusterMode {
            case .off: return nil
            case .on: break
            case .detect:
                if isClusterNode == nil {
                    let connection = try primaryConnection ?? openNode()
                    primaryConnection = connection
                    isClusterNode = try Self.isClusterEnabled(connection)
                }
                if isClusterNode == false { return nil }
            }
            seeds = [url]
        }
        let opened = try RedisClusterRouter(
            seeds: seeds, connectTimeout: connectTimeout, commandTimeout: commandTimeout, seedConnection: primaryConnection)
        primaryConnection = nil
        router = opened
        return opened
    }

    /// `INFO cluster` says `cluster_enabled:1`. A server that refuses INFO (an ACL) is
    /// taken for one server: `--cluster` says otherwise.
    static func isClusterEnabled(_ connection: RedisConnection) throws -> Bool {
        let text: String
        do {
            text = try connection.command(["INFO", "cluster"]).string ?? ""
        } catch let error as RedisError where error.kind == .server {
            return false
        }
        return RedisInfo(parsing: text)["cluster_enabled"] == "1"
    }

    /// The connection for writes (and for reads unless a replica is asked for), opened on
    /// first use and kept. On a cluster: `ClusterError.singleNode`.
    public func primary() throws -> RedisConnection {
        try refuseCluster()
        if let primaryConnection { return primaryConnection }
        let opened = try openNode()
        primaryConnection = opened
        return opened
    }

    /// A new connection to the primary, of the caller's own (for `ping`, `health`). On a
    /// cluster: `ClusterError.singleNode`.
    public func openPrimary() throws -> RedisConnection {
        try refuseCluster()
        return try openNode()
    }

    /// Whether the target is a cluster, for commands that have a cluster path: one
    /// `INFO cluster` on the first connect, unless the settings already say.
    public var isCluster: Bool {
        get throws { try cluster() != nil }
    }

    private func refuseCluster() throws {
        if clusterMode == .off { return }
        if let router = try cluster() { throw ClusterError.singleNode(router.address) }
    }

    private func openNode() throws -> RedisConnection {
        switch target {
        case .cluster(let seeds):
            return try RedisConnection(url: seeds.first, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        case .standalone(let url):
            return try RedisConnection(url: url, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        case .sentinel(let group):
            let resolver = SentinelPrimaryResolver(group: group, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
            // The URL is a placeholder: the resolver names the server before connecting.
            return try RedisConnection(
                url: group.node(host: "0.0.0.0", port: 1), resolver: resolver,
                connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        }
    }

    /// Where a read-only walk goes: the primary, or with `readFrom == .replica` a replica
    /// with its lag. Opened on first use and kept (the lag is that of the first use).
    public func reader() throws -> RedisReadEndpoint {
        try refuseCluster()
        if let readEndpoint { return readEndpoint }
        let endpoint: RedisReadEndpoint
        switch readFrom {
        case .primary:
            let connection = try primary()
            endpoint = RedisReadEndpoint(connection: connection, source: RedisReadSource(role: .primary, address: connection.address))
        case .replica:
            endpoint = try openReplica()
        }
        readEndpoint = endpoint
        return endpoint
    }

    /// Closes what this topology opened.
    public func close() {
        router?.close()
        router = nil
        primaryConnection?.close()
        readEndpoint?.connection.close()
        primaryConnection = nil
        readEndpoint = nil
    }

    /// The sentinels' answers, for `ping` (empty for a standalone target).
    public func surveySentinels() -> [RedisSentinelAnswer] {
        guard case .sentinel(let group) = target else { return [] }
        return group.survey(connectTimeout: connectTimeout, commandTimeout: commandTimeout)
    }

    // MARK: replicas

    private func openReplica() throws -> RedisReadEndpoint {
        let primary = try primary()
        // The primary's offset first: a lag measured after it can only overstate.
        let primaryInfo = try? ReplicationInfo(primary.info("replication"))
        let candidates = try replicaCandidates(primaryInfo: primaryInfo)
        guard !candidates.isEmpty else {
            throw RedisError(
                kind: .connect, address: primary.address,
                detail: "--read-from replica: no replica is online (name one with --replica-url, or read from the primary)")
        }
        var failures: [String] = []
        for candidate in candidates {
            do {
                let connection = try RedisConnection(url: candidate, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
                let info = try? ReplicationInfo(connection.info("replication"))
                if let role = info?.role, role != "slave" {
                    failures.append("\(connection.address) is not a replica (role \(role))")
                    connection.close()
                    continue
                }
                var lag: Int64?
                if let primaryOffset = primaryInfo?.masterOffset, let replicaOffset = info?.replicaOffset ?? info?.masterOffset {
                    lag = max(0, primaryOffset - replicaOffset)
                }
                let source = RedisReadSource(
                    role: .replica, address: connection.address, lagBytes: lag,
                    linkStatus: info?.linkStatus, lastIOSecondsAgo: info?.lastIOSecondsAgo)
                return RedisReadEndpoint(connection: connection, source: source)
            } catch {
                failures.append(oneLineMessage(error))
            }
        }
        throw RedisError(kind: .connect, address: primary.address, detail: "--read-from replica: no replica reachable: \(failures.joined(separator: "; "))")
    }

    /// The replicas to try, in order.
    private func replicaCandidates(primaryInfo: ReplicationInfo?) throws -> [RedisURL] {
        if var named = replicaURL {
            if named.username == nil && named.password == nil {
                named.username = target.username
                named.password = target.password
            }
            if named.tls == nil { named.tls = target.tls }
            return [named]
        }
        let url: RedisURL
        switch target {
        case .sentinel(let group):
            return try group.replicas(connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        case .cluster(let seeds): url = seeds.first
        case .standalone(let one): url = one
        }
        guard let primaryInfo else {
            throw RedisError(
                kind: .connect, address: url.address,
                detail: "--read-from replica: cannot list replicas (INFO replication refused); name one with --replica-url")
        }
        return primaryInfo.onlineReplicas.map { replica in
            var node = url
            node.endpoint = .tcp(host: replica.host, port: replica.port)
            return node
        }
    }
}
