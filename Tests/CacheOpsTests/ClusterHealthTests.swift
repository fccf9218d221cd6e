@testable import CacheOps
import Redis
import Support
import TestSupport
import Testing

@Suite struct ClusterHealthTests {
    func server(hits: Int, misses: Int, memory: Int, maxmemory: Int = 0, keys: Int, expires: Int = 0, avgTTL: Int = 0) -> RedisMetrics {
        RedisMetrics(
            keyspaceHits: hits, keyspaceMisses: misses, usedMemory: memory, usedMemoryPeak: memory, maxmemory: maxmemory,
            evictedKeys: 1, expiredKeys: 2, connectedClients: 3, opsPerSec: 4, totalCommandsProcessed: 5,
            databases: [.init(index: 0, keys: keys, expires: expires, avgTTLMs: avgTTL)])
    }

    func cluster(state: String = "ok", assigned: Int = 16384, ok: Int = 16384, pfail: Int = 0, fail: Int = 0, replicas: [Int] = [1, 1, 1]) -> ClusterMetrics {
        let nodes = replicas.enumerated().map { index, count in
            ClusterMetrics.Node(
                address: "127.0.0.1:\(7000 + index)", metrics: server(hits: 10, misses: 0, memory: 100, keys: 5), replicas: count, slots: 5461)
        }
        return ClusterMetrics(
            state: state, slotsAssigned: assigned, slotsOk: ok, slotsPfail: pfail, slotsFail: fail, knownNodes: 6, size: 3,
            nodes: nodes, total: ClusterMetrics.total(nodes.map(\.metrics)))
    }

    @Test func theClusterWideHitRateIsThatOfTheSummedCounters() {
        // 900 of 1000 and 0 of 9000: the average of the rates would say 45 %.
        let total = ClusterMetrics.total([
            server(hits: 900, misses: 100, memory: 10, keys: 5, expires: 2, avgTTL: 1000),
            server(hits: 0, misses: 9000, memory: 20, keys: 7, expires: 6, avgTTL: 3000),
        ])
        #expect(total.hitRate == 0.09)
        #expect(total.usedMemory == 30)
        #expect(total.keys == 12)
        #expect(total.databases == [.init(index: 0, keys: 12, expires: 8, avgTTLMs: 2500)])
        #expect(total.evictedKeys == 2)
    }

    @Test func aFailedOrIncompleteClusterIsCritical() {
        #expect(RedisHealth.stateCheck(cluster()).status == .ok)
        #expect(RedisHealth.stateCheck(cluster(state: "fail")).status == .critical)
        let unassigned = RedisHealth.stateCheck(cluster(assigned: 16000, ok: 16000))
        #expect(unassigned.status == .critical)
        #expect(unassigned.message.contains("384 slots assigned to no node"))
        #expect(RedisHealth.stateCheck(cluster(ok: 10923, fail: 5461)).status == .critical)
        #expect(RedisHealth.stateCheck(cluster(ok: 10923, pfail: 5461)).status == .warning)
    }

    @Test func aPrimaryWithoutAReplicaIsAWarning() {
        #expect(RedisHealth.replicaCheck(cluster()).status == .ok)
        let alone = RedisHealth.replicaCheck(cluster(replicas: [1, 0, 2]))
        #expect(alone.status == .warning)
        #expect(alone.message.contains("127.0.0.1:7001"))
    }

    @Test func theRealClusterIsHealthy() throws {
        let router = try RedisClusterRouter(seeds: [RedisURL(parsing: ClusterServers.url())], connectTimeout: 2, commandTimeout: 2)
        let checks = RedisHealth.clusterChecks(thresholds: HealthThresholds(minHitRate: 0, maxMemoryRatio: 1, window: 1), cluster: router)
        #expect(checks.map(\.name) == [RedisHealth.reachable, RedisHealth.clusterState, RedisHealth.clusterReplicas, RedisHealth.hitRate, RedisHealth.memoryRatio])
        #expect(checks.allSatisfy { $0.status == .ok })
    }
}
