import Keyspace
import Redis
import Support

/// `cache keys` on a Redis Cluster: `KeyLister` on each primary in turn (a SCAN on a node
/// returns only that node's keys), within one limit; a pattern whose literal part pins
/// one slot (`{tag}…`) walks only that slot's node. In turn rather than at once, so the
/// listing comes node by node and stops at the limit without walking the others.
public struct ClusterKeyLister {
    public let cluster: RedisClusterRouter

    public init(cluster: RedisClusterRouter) {
        self.cluster = cluster
    }

    /// As `KeyLister.list`, over every primary (or the one a pinned pattern needs).
    public func list(
        pattern: [UInt8], limit: Int? = nil, accept: ([UInt8]) -> Bool = { _ in true }, body: ([UInt8]) throws -> Void
    ) throws -> KeyLister.Outcome {
        let nodes = Glob.pinnedSlot(of: pattern).flatMap { cluster.map.primary(ofSlot: $0) }.map { [$0] } ?? cluster.map.primaries
        var total = KeyLister.Outcome()
        for node in nodes {
            let remaining = limit.map { $0 - total.listed }
            if let remaining, remaining <= 0 {
                total.limitReached = true
                break
            }
            let outcome = try KeyLister(redis: cluster.connection(to: node)).list(pattern: pattern, limit: remaining, accept: accept, body: body)
            total.listed += outcome.listed
            total.scanned += outcome.scanned
            total.limitReached = outcome.limitReached
            total.interrupted = outcome.interrupted
            if outcome.limitReached || outcome.interrupted { break }
        }
        return total
    }
}
