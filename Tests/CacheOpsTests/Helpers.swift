import Foundation
import Redis
import TestSupport

/// Ports of the redis-servers this module's tests spawn (its range is 6430-6439; the CLI
/// tests of tests/cli/test_metrics.py use 6440-6449). Each test that reads server-wide
/// statistics or the whole keyspace gets a server of its own.
enum CacheOpsPorts {
    static let hitRate = 6430
    static let evictions = 6431
    static let health = 6432
    static let byFamily = 6433
    static let noDistortion = 6434
    static let lint = 6435
    static let lintClean = 6436
    static let watch = 6437
    static let prefix = 6438
    static let noDistortionLFU = 6439
}

/// A spawned server and a connection to it.
func spawnedRedis(port: Int, _ arguments: [String] = []) throws -> (RedisTestServer, RedisConnection) {
    let server = try RedisTestServer(port: port, arguments: arguments)
    let connection = try RedisConnection(server.url())
    return (server, connection)
}
