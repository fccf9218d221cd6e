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
/// Redis Cluster belongs here as a third kind, beside the Sentinel resolver: a `.cluster`
/// case of `RedisTarget` (seed nodes), for which this type builds a router (slot map, one
/// connection per primary, MOVED/ASK) and hands it out where `primary()` hands out a
/// single connection today. Services then need the router's interface
/// (`RedisCommandRunner` plus the per-node walks) instead of `RedisConnection`.
public final class RedisTopology: @unchecked Sendable {
    public let target: RedisTarget
    public let readFrom: RedisReadPreference
    /// A replica named explicitly (`--replica-url`); without credentials or TLS of its own
    /// it uses the target's.
    public let replicaURL: RedisURL?
    public let connectTimeout: Double
    public let commandTimeout: Double

    private var primaryConnection: RedisConnection?
    private var readEndpoint: RedisReadEndpoint?

    public init(
        target: RedisTarget, readFrom: RedisReadPreference = .primary, replicaURL: RedisURL? = nil,
        connectTimeout: Double = 5, commandTimeout: Double = 5
    ) {
        self.target = target
        self.readFrom = readFrom
        self.replicaURL = replicaURL
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// The connection for writes (and for reads unless a replica is asked for), opened on
    /// first use and kept.
    public func primary() throws -> RedisConnection {
        if let primaryConnection { return primaryConnection }
        let opened = try openPrimary()
        primaryConnection = opened
        return opened
    }

    /// A new connection to the primary, of the caller's own (for `ping`, `health`).
    public func openPrimary() throws -> RedisConnection {
        switch target {
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
        switch target {
        case .sentinel(let group):
            return try group.replicas(connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        case .standalone(let url):
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
}
