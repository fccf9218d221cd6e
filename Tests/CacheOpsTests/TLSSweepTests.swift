import CacheOps
import Foundation
import Redis
import Support
import TestSupport
import Testing

/// A sweep over TLS (the prodlike server, DB 8) behaves as over TCP: Ctrl-C stops it
/// between batches with every UNLINK answered, so `deleted` is exact and the connection
/// carries on without reconnecting.
@Suite struct TLSSweepTests {
    @Test func interruptStopsATLSSweepBetweenBatchesWithTheConnectionInStep() throws {
        let redis = try RedisConnection(url: RedisURL(
            endpoint: .tcp(host: "localhost", port: ProdlikeServers.tlsPort), database: 8, username: "ops",
            password: ProdlikeServers.opsPassword, tls: RedisTLS(caFile: ProdlikeServers.caFile)))
        let prefix = "tls-sweep:\(UUID().uuidString.prefix(8)):"
        defer { _ = try? KeySweeper(redis: redis, count: 1000).sweep(pattern: Array((prefix + "*").utf8)) }
        _ = try redis.pipeline((0..<5000).map { ["SET", prefix + String($0), "v"] })
        try withOwnInterrupt { interrupt in
            var batches = 0
            let report = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array((prefix + "*").utf8), onBatch: { _ in
                batches += 1
                if batches == 5 { interrupt.request() }
            })
            #expect(report.interrupted)
            var remaining = 0
            var scanner = redis.scan(match: Array((prefix + "*").utf8), count: 1000)
            try scanner.forEachKey { _ in remaining += 1 }
            #expect(report.deleted == 5000 - remaining)
            #expect(remaining > 0)
        }
        #expect(try redis.command(["PING"]) == .status("PONG"))
        #expect(redis.connectionsOpened == 1)
    }
}
