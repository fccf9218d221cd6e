import Redis
import Support

/// `metrics` on a Redis Cluster: the cluster's own state (`CLUSTER INFO`), each primary's
/// figures (one INFO per primary, all at once) and the totals. The cluster-wide hit rate
/// is that of the summed counters, not an average of the nodes' rates.
public struct ClusterMetrics: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        /// `127.0.0.1:6381`.
        public var address: String
        public var metrics: RedisMetrics
        /// Replicas of this primary in the slot map.
        public var replicas: Int
        /// Slots it serves.
        public var slots: Int
    }

    /// `ok` or `fail` (`cluster_state`).
    public var state: String
    public var slotsAssigned: Int
    public var slotsOk: Int
    public var slotsPfail: Int
    public var slotsFail: Int
    public var knownNodes: Int
    /// Primaries serving slots (`cluster_size`).
    public var size: Int
    public var nodes: [Node]
    /// The nodes' figures added up (memory, counters, keys per database); the version,
    /// role and policy those of the first node.
    public var total: RedisMetrics

    /// `CLUSTER INFO` from the first primary, then INFO from every primary at once.
    public static func read(from cluster: RedisClusterRouter) throws -> ClusterMetrics {
        let read = cluster.forEachPrimary { _, connection in
            (try RedisMetrics.read(from: connection), try connection.command(["CLUSTER", "INFO"]).string ?? "")
        }
        var nodes: [Node] = []
        var clusterInfo: RedisInfo?
        for (node, outcome) in read {
            let (metrics, info) = try outcome.get()
            if clusterInfo == nil { clusterInfo = RedisInfo(parsing: info) }
            let shard = cluster.map.shards.first { $0.primary == node }
            nodes.append(Node(address: node.description, metrics: metrics, replicas: shard?.replicas.count ?? 0, slots: shard?.slotCount ?? 0))
        }
        let info = clusterInfo ?? RedisInfo(parsing: "")
        func number(_ field: String) -> Int { info[field].flatMap { Int($0) } ?? 0 }
        return ClusterMetrics(
            state: info["cluster_state"] ?? "unknown", slotsAssigned: number("cluster_slots_assigned"),
            slotsOk: number("cluster_slots_ok"), slotsPfail: number("cluster_slots_pfail"), slotsFail: number("cluster_slots_fail"),
            knownNodes: number("cluster_known_nodes"), size: number("cluster_size"), nodes: nodes,
            total: total(nodes.map(\.metrics)))
    }

    /// The sum of several servers' figures.
    public static func total(_ servers: [RedisMetrics]) -> RedisMetrics {
        func sum(_ value: (RedisMetrics) -> Int) -> Int { servers.reduce(0) { $0 + value($1) } }
        var databases: [Int: RedisMetrics.Database] = [:]
        for database in servers.flatMap(\.databases) {
            var entry = databases[database.index] ?? .init(index: database.index, keys: 0, expires: 0, avgTTLMs: 0)
            // The average TTL weighted by each node's keys with a TTL.
            let expiring = entry.expires + database.expires
            entry.avgTTLMs = expiring == 0 ? 0 : (entry.avgTTLMs * entry.expires + database.avgTTLMs * database.expires) / expiring
            entry.keys += database.keys
            entry.expires = expiring
            databases[database.index] = entry
        }
        let first = servers.first
        return RedisMetrics(
            keyspaceHits: sum(\.keyspaceHits), keyspaceMisses: sum(\.keyspaceMisses), usedMemory: sum(\.usedMemory),
            usedMemoryPeak: sum(\.usedMemoryPeak), maxmemory: sum(\.maxmemory), maxmemoryPolicy: first?.maxmemoryPolicy,
            evictedKeys: sum(\.evictedKeys), expiredKeys: sum(\.expiredKeys), connectedClients: sum(\.connectedClients),
            opsPerSec: sum(\.opsPerSec), totalCommandsProcessed: sum(\.totalCommandsProcessed), version: first?.version,
            uptimeSeconds: servers.compactMap(\.uptimeSeconds).min(), role: first?.role,
            databases: databases.values.sorted { $0.index < $1.index })
    }

    /// Each primary's figures labelled `node="host:port"`, for `-o prometheus`.
    public var labelledNodes: [(labels: PrometheusText.Labels, metrics: RedisMetrics)] {
        nodes.map { ([("node", $0.address)], $0.metrics) }
    }
}
