import Foundation

/// The Redis Cluster `scripts/servers.sh start cluster` runs (scripts/test.sh starts it once
/// per run; the tests share it): 3 primaries and 3 replicas on 6381-6386. Tests that move
/// slots move them back before they end.
public enum ClusterServers {
    public static let ports = [6381, 6382, 6383, 6384, 6385, 6386]

    /// `redis://127.0.0.1:6381,127.0.0.1:6382,127.0.0.1:6383`.
    public static var seedList: String {
        "redis://" + ports.prefix(3).map { "127.0.0.1:\($0)" }.joined(separator: ",")
    }

    /// One node's URL (a seed of its own: cluster mode is found out on connect).
    public static func url(port: Int = 6381) -> String { "redis://127.0.0.1:\(port)/0" }
}
