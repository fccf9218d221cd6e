import Foundation
import Testing
import CacheOps
import Redis
import Support
import TestSupport

/// `KeySweeper` sends the next SCAN before it checks the batch it has, so the server walks
/// on while the client works; whatever stops a sweep, what is in flight is read and the
/// connection stays in step. On a redis-server of its own (port 6464; server-wide command
/// statistics), and one without UNLINK (port 6467).
@Suite(.serialized) final class SweepOverlapTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6464)
        redis = try RedisConnection(server.url(database: 0))
    }

    func set(_ keys: [String]) throws {
        _ = try redis.pipeline(keys.map { ["SET", $0, "v"] })
    }

    func dbsize(_ connection: RedisConnection? = nil) throws -> Int {
        Int(try (connection ?? redis).command(["DBSIZE"]).int ?? -1)
    }

    /// SCAN calls the server has run, from INFO commandstats.
    static func scanCalls(_ connection: RedisConnection) throws -> Int {
        let text = try connection.command(["INFO", "commandstats"]).string ?? ""
        guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_scan:") }),
              let calls = line.split(separator: ",").first?.split(separator: "=").last
        else { return 0 }
        return Int(calls) ?? 0
    }

    /// While the first batch is checked, the server has received the second SCAN (and runs
    /// it): seen from another connection, its call count reaches 2 before the first key of
    /// the first batch is accepted. A sweep that sent the next SCAN only with the batch's
    /// UNLINK would leave the count at 1 however long it waited here.
    @Test func theNextScanIsInFlightWhileABatchIsChecked() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<3000).map { "k:\($0)" })
        let observer = try RedisConnection(server.url(database: 0))
        try observer.command(["CONFIG", "RESETSTAT"])
        var seenDuringFirstBatch: Int?
        let report = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array("k:*".utf8), onMatch: { _ in
            guard seenDuringFirstBatch == nil else { return }
            var calls = try Self.scanCalls(observer)
            for _ in 0..<500 where calls < 2 {
                usleep(10_000)
                calls = try Self.scanCalls(observer)
            }
            seenDuringFirstBatch = calls
        })
        #expect(seenDuringFirstBatch == 2)
        #expect(report.deleted == 3000)
        #expect(try dbsize() == 0)
    }

    /// The server shrinks a table that has become 90% empty (serverCron, `hz` times a
    /// second), and SCAN on the smaller table returns again keys of buckets it had visited
    /// but not deleted yet. The next SCAN runs before the UNLINK of the batch before it, so
    /// the keys of that UNLINK are still there when it runs: they are skipped, so a walk
    /// that deletes what it finds reports each key once, as it would if the UNLINK had run
    /// first. A fast serverCron makes a shrink in the middle of a walk all but certain.
    @Test func keysWhoseUnlinkIsInFlightAreNotReturnedTwice() throws {
        try redis.command(["CONFIG", "SET", "hz", "500"])
        defer { _ = try? redis.command(["CONFIG", "SET", "hz", "10"]) }
        for _ in 0..<10 {
            try redis.command(["FLUSHDB"])
            try set((0..<4000).map { "s:\($0)" })
            var seen = 0
            let report = try KeySweeper(redis: redis, count: 20).sweep(pattern: Array("s:*".utf8), onMatch: { _ in seen += 1 })
            #expect(report.deleted == 4000)
            #expect(report.matched == 4000)
            #expect(report.scanned == 4000)
            #expect(seen == 4000)
            #expect(try dbsize() == 0)
        }
    }

    /// Ctrl-C while the next SCAN is in flight: its reply is read and dropped, every UNLINK
    /// sent is counted, and the same connection carries the next command.
    @Test func interruptReadsWhatIsInFlightAndKeepsTheConnection() throws {
        try withOwnInterrupt { interrupt in
            try redis.command(["FLUSHDB"])
            try set((0..<5000).map { "stock:\($0)" })
            var batches = 0
            var seen: [[UInt8]] = []
            let report = try KeySweeper(redis: redis, count: 100).sweep(
                pattern: Array("stock:*".utf8),
                onBatch: { _ in
                    batches += 1
                    if batches == 3 { interrupt.request() }
                },
                onMatch: { seen.append($0) })
            // At once: the flag is process-wide, and other suites sweep in parallel.
            interrupt.reset()
            #expect(report.interrupted)
            let remaining = try dbsize()
            #expect(remaining > 0)
            #expect(report.deleted == 5000 - remaining)
            // onMatch saw exactly the keys deleted: not those of the batch the interrupt stopped.
            #expect(seen.count == report.deleted)
            #expect(try redis.command(["EXISTS"] + seen.map { $0 as any RedisArgument }).int == 0)
            #expect(try redis.command(["ECHO", "next"]) == .bulk(Array("next".utf8)))
            #expect(redis.connectionsOpened == 1)
        }
    }

    /// A progress callback that throws stops the sweep: the error reaches the caller, the
    /// SCAN in flight is read, nothing beyond the UNLINKs already answered is deleted, and
    /// the connection stays in step.
    @Test func throwingFromProgressStopsInStep() throws {
        struct Stop: Error {}
        try redis.command(["FLUSHDB"])
        try set((0..<3000).map { "cart:\($0)" })
        var calls = 0
        var deletedWhenStopped = -1
        #expect(throws: Stop.self) {
            _ = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array("cart:*".utf8), onBatch: { progress in
                calls += 1
                if calls == 2 {
                    deletedWhenStopped = progress.deleted
                    throw Stop()
                }
            })
        }
        #expect(deletedWhenStopped > 0)
        #expect(try dbsize() == 3000 - deletedWhenStopped)
        #expect(try redis.command(["ECHO", "next"]) == .bulk(Array("next".utf8)))
        #expect(redis.connectionsOpened == 1)
    }

    /// An exact test that throws mid-batch (onMatch) likewise leaves the connection in step.
    @Test func throwingFromAMatchStopsInStep() throws {
        struct Stop: Error {}
        try redis.command(["FLUSHDB"])
        try set((0..<2000).map { "cart:\($0)" })
        var matched = 0
        #expect(throws: Stop.self) {
            _ = try KeySweeper(redis: redis, count: 100).sweep(pattern: Array("cart:*".utf8), onMatch: { _ in
                matched += 1
                if matched == 150 { throw Stop() }
            })
        }
        #expect(try dbsize() < 2000)
        #expect(try redis.command(["ECHO", "next"]) == .bulk(Array("next".utf8)))
        #expect(redis.connectionsOpened == 1)
    }

    /// Ctrl-C on a server without UNLINK, in the batch after the first UNLINK was refused:
    /// `onMatch` has seen the keys that UNLINK carried, so they still go, with DEL, before
    /// the sweep stops; every key `onMatch` saw is gone and nothing else is.
    @Test func interruptAfterARefusedUnlinkStillDeletesWhatOnMatchSaw() throws {
        try withOwnInterrupt { interrupt in
            let old = try RedisTestServer(port: 6467, arguments: ["--rename-command", "UNLINK", ""])
            defer { old.stop() }
            let connection = try RedisConnection(old.url(database: 0))
            _ = try connection.pipeline((0..<2500).map { ["SET", "stock:\($0)", "v"] })
            var batches = 0
            var seen: [[UInt8]] = []
            let report = try KeySweeper(redis: connection, count: 100).sweep(
                pattern: Array("stock:*".utf8),
                onBatch: { _ in
                    batches += 1
                    if batches == 2 { interrupt.request() }
                },
                onMatch: { seen.append($0) })
            interrupt.reset()
            #expect(report.interrupted)
            #expect(!seen.isEmpty)
            #expect(report.deleted == seen.count)
            #expect(try connection.command(["EXISTS"] + seen.map { $0 as any RedisArgument }).int == 0)
            #expect(try dbsize(connection) == 2500 - seen.count)
            #expect(try connection.command(["ECHO", "next"]) == .bulk(Array("next".utf8)))
            #expect(connection.connectionsOpened == 1)
        }
    }

    /// A server without UNLINK: the first UNLINK's error turns the sweep to DEL, and the
    /// keys it carried go again with DEL, in the middle of a walk and on its last batch.
    @Test func serversWithoutUnlinkGetDel() throws {
        let old = try RedisTestServer(port: 6467, arguments: ["--rename-command", "UNLINK", ""])
        defer { old.stop() }
        let connection = try RedisConnection(old.url(database: 0))
        #expect(try connection.pipeline([["UNLINK", "x"]]).first?.errorMessage?.hasPrefix("ERR unknown command") == true)
        _ = try connection.pipeline((0..<2500).map { ["SET", "stock:\($0)", "v"] } + [["SET", "stockx", "v"]])
        let walk = try KeySweeper(redis: connection, count: 100).sweep(pattern: Array("stock:*".utf8))
        #expect(walk.matched == 2500)
        #expect(walk.deleted == 2500)
        #expect(try dbsize(connection) == 1)

        // One SCAN call covers these: the only UNLINK is the last batch's, sent alone.
        _ = try connection.pipeline((0..<20).map { ["SET", "cart:\($0)", "v"] })
        let single = try KeySweeper(redis: connection, count: 1000).sweep(pattern: Array("cart:*".utf8))
        #expect(single.deleted == 20)
        #expect(try dbsize(connection) == 1)
        #expect(connection.connectionsOpened == 1)
    }
}
