import Foundation
import Redis
import TestSupport

/// The shared test server, in DB 9 only (this module's own). Every test writes under a
/// unique key prefix and deletes exactly the keys under it.
enum SharedRedis {
    static let database = 9

    static var url: RedisURL {
        get throws {
            var url = try RedisURL(parsing: TestServers.redisURL)
            url.database = database
            return url
        }
    }

    static func connect(commandTimeout: Double = 5) throws -> RedisConnection {
        try RedisConnection(url: url, commandTimeout: commandTimeout)
    }

    /// `redis-tests:<test>:<random>:` so parallel tests and reruns never meet.
    static func prefix(_ test: String) -> String {
        "redis-tests:\(test):\(UUID().uuidString.prefix(8)):"
    }

    /// Deletes the keys under `prefix`, found with SCAN (the prefix holds no glob characters).
    static func deleteKeys(prefix: String, on connection: RedisConnection) throws {
        var scanner = connection.scan(match: Array((prefix + "*").utf8), count: 1000)
        while let batch = try scanner.nextBatch() {
            if !batch.isEmpty { try connection.command(["UNLINK"] + batch.map { $0 as any RedisArgument }) }
        }
    }
}

/// Ports of servers this module spawns (its range is 6400-6419).
enum RedisTestPorts {
    static let auth = 6400
    static let queryLimit = 6402
}
