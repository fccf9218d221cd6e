import Redis
import Support

extension RedisHealth {
    public static let clusterState = "redis-cluster-state"
    public static let clusterReplicas = "redis-cluster-replicas"

    /// `health` on a Redis Cluster: every primary's INFO at once (`ClusterMetrics`), then
    /// the cluster's state (CRITICAL on `cluster_state:fail`, unassigned or failed slots;
    /// WARNING on slots a node suspects), its replicas (WARNING when a primary has none),
    /// the hit rate of the summed counters, the fullest primary's memory ratio and, with
    /// an eviction limit, the evictions of all primaries over the window.
    public static func clusterChecks(thresholds: HealthThresholds, cluster: RedisClusterRouter) -> [HealthCheck] {
        let first: ClusterMetrics
        let firstTime: Double
        do {
            let started = Monotonic.now()
            first = try ClusterMetrics.read(from: cluster)
            firstTime = Monotonic.now()
            let ms = (firstTime - started) * 1000
            var checks = [HealthCheck(
                name: reachable, status: .ok, value: (ms * 1000).rounded() / 1000,
                message: "redis cluster of \(first.nodes.count) primaries at \(cluster.address) answered in \(shortDecimal(ms)) ms")]
            checks.append(stateCheck(first))
            checks.append(replicaCheck(first))
            checks += judgeCluster(first, thresholds: thresholds)
            if thresholds.checksEvictions {
                checks.append(evictionCheck(first: first.total, firstTime: firstTime, thresholds: thresholds, scope: ", all primaries") {
                    try ClusterMetrics.read(from: cluster).total
                })
            }
            return checks
        } catch {
            return [failure(error)]
        }
    }

    static func stateCheck(_ metrics: ClusterMetrics) -> HealthCheck {
        let unassigned = HashSlot.count - metrics.slotsAssigned
        let summary = "cluster_state:\(metrics.state), \(metrics.slotsOk) of \(metrics.slotsAssigned) assigned slots ok"
        if metrics.state != "ok" || unassigned > 0 || metrics.slotsFail > 0 {
            var problems: [String] = []
            if unassigned > 0 { problems.append("\(unassigned) slots assigned to no node") }
            if metrics.slotsFail > 0 { problems.append("\(metrics.slotsFail) slots on failed nodes") }
            return HealthCheck(
                name: clusterState, status: .critical, value: Double(metrics.slotsOk),
                message: ([summary] + problems).joined(separator: "; "))
        }
        if metrics.slotsPfail > 0 {
            return HealthCheck(
                name: clusterState, status: .warning, value: Double(metrics.slotsOk),
                message: "\(summary); \(metrics.slotsPfail) slots on nodes some node suspects of failing")
        }
        return HealthCheck(name: clusterState, status: .ok, value: Double(metrics.slotsOk), message: summary)
    }

    static func replicaCheck(_ metrics: ClusterMetrics) -> HealthCheck {
        let alone = metrics.nodes.filter { $0.replicas == 0 }.map(\.address)
        let fewest = metrics.nodes.map(\.replicas).min() ?? 0
        guard alone.isEmpty else {
            return HealthCheck(
                name: clusterReplicas, status: .warning, value: Double(fewest),
                message: "no replica for \(alone.joined(separator: ", ")): a failure of \(alone.count == 1 ? "it" : "one") loses its slots")
        }
        return HealthCheck(
            name: clusterReplicas, status: .ok, value: Double(fewest),
            message: "every primary has a replica (at least \(fewest))")
    }

    /// The hit rate of the summed counters; the memory ratio of the fullest primary.
    static func judgeCluster(_ metrics: ClusterMetrics, thresholds: HealthThresholds) -> [HealthCheck] {
        var checks = judge(metrics.total, thresholds: thresholds).filter { $0.name != memoryRatio }
        let fullest = metrics.nodes.filter { $0.metrics.memoryRatio != nil }.max { $0.metrics.memoryRatio! < $1.metrics.memoryRatio! }
        if let fullest {
            var check = judge(fullest.metrics, thresholds: thresholds).first { $0.name == memoryRatio }!
            check.message += " on \(fullest.address), the fullest primary"
            checks.append(check)
        } else {
            checks.append(HealthCheck(
                name: memoryRatio, status: .ok, threshold: thresholds.maxMemoryRatio,
                message: "no maxmemory limit set on any primary; not judged"))
        }
        return checks
    }
}
