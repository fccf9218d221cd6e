import Foundation
import Testing
import CacheOps
import Redis
import Support
import TestSupport

/// SCAN may return a key twice (when the server shrinks its table during the walk), so the
/// number of keys a walk matched is not the number deleted. The server decides when it
/// shrinks, so a test cannot make SCAN repeat itself on demand; what it can do is the same
/// thing from the other side: make matched keys disappear between the SCAN that returned
/// them and the UNLINK that deletes them, which is exactly what a repeated key is on its
/// second appearance. The deleted count must stay the server's. Port 6463.
@Suite(.serialized) final class ScanDuplicateTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6463)
        redis = try RedisConnection(server.url(database: 0))
    }

    @Test func deletedIsWhatUnlinkRemovedNotWhatScanReturned() throws {
        try redis.command(["FLUSHDB"])
        _ = try redis.pipeline((0..<3000).map { ["SET", "dup:\($0)", "v"] })
        let other = try RedisConnection(server.url(database: 0))
        var goneBeforeUnlink = 0
        var service = PatternInvalidation(redis: redis)
        service.scanCount = 50
        let report = try service.run(InvalidationRequest(targets: [.pattern(Array("dup:*".utf8))], keyspace: unprefixed), dryRun: false, onKey: { key in
            // Every third matched key is deleted by someone else before our UNLINK is sent.
            guard key.last.map({ $0 % 3 == 0 }) == true else { return }
            goneBeforeUnlink += Int((try? other.command(["DEL", key]).int) ?? 0)
        })
        #expect(goneBeforeUnlink > 0)
        #expect(report.matched == 3000)
        #expect(report.deleted == 3000 - goneBeforeUnlink)
        #expect(report.walks.first?.deleted == report.deleted)
        #expect(try redis.command(["EXISTS"] + (0..<3000).map { "dup:\($0)" as any RedisArgument }).int == 0)
    }

    @Test func aKeyNamedInTheSameBatchTwiceIsDeletedOnce() throws {
        try redis.command(["FLUSHDB"])
        _ = try redis.pipeline((0..<10).map { ["SET", "k:\($0)", "v"] })
        let names = ((0..<10).map { "k:\($0)" } + (0..<10).map { "k:\($0)" } + ["k:missing"]).map { Array($0.utf8) }
        let report = try PatternInvalidation(redis: redis).run(InvalidationRequest(targets: names.map { .key($0) }, keyspace: unprefixed), dryRun: false)
        #expect(report.keysNamed == 21)
        #expect(report.deleted == 10)
        #expect(report.matched == 10)
    }
}
