import Foundation

/// Where the integration tests find their servers. `scripts/test.sh` starts them and
/// exports these variables; the defaults are the same ports, so `swift test` works after
/// `scripts/servers.sh start test`.
public enum TestServers {
    public static var redisURL: String {
        ProcessInfo.processInfo.environment["WWCTL_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6391/0"
    }

    public static var databaseURL: String {
        ProcessInfo.processInfo.environment["WWCTL_TEST_DATABASE_URL"]
            ?? "postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise"
    }
}
