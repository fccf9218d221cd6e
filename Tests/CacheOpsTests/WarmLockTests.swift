import Foundation
import Testing
import Synchronization
import CacheOps
import Keyspace
import Postgres
import Redis
import Support
import TestSupport

/// The per-scope lock of `cache warm`, on a redis-server of its own (port 6473).
@Suite(.serialized) final class WarmLockTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6473)
        redis = try RedisConnection(server.url())
    }

    @Test func aSecondRunWhileTheFirstWorksFailsTemporarilyNamingTheHolder() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let url = server.url()
        let second = Mutex<(any Error)?>(nil)
        let secondRan = Mutex(false)
        var options = WarmOptions(families: ["org"])
        // While the first run holds the lock (inside its snapshot), a second one starts.
        options.afterSnapshot = { _ in
            do {
                try warm(database, redisURL: url, WarmOptions(families: ["org"]))
            } catch {
                second.withLock { $0 = error }
            }
            secondRan.withLock { $0 = true }
        }
        let first = try warm(database, redisURL: url, options)
        #expect(secondRan.withLock { $0 })
        let error = second.withLock { $0 } as? any CategorizedError
        #expect(error?.category == .temporaryFailure)
        #expect(error?.category.exitCode == 75)
        let message = error?.message ?? ""
        #expect(message.contains("warm:all"))
        #expect(message.contains("pid \(getpid())"))
        #expect(message.contains("host \(hostName())"))
        #expect(message.contains("since 20"))
        // The first run finished its work and released the lock.
        #expect(first.keys == 12)
        #expect(try redis.command(["EXISTS", unprefixed.lockKey(scope: "warm:all")]).int == 0)
    }

    @Test func locksAreByScope() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        // Someone holds warm:all; a warm of one org is another scope and runs.
        try redis.command(["SET", unprefixed.lockKey(scope: "warm:all"), "{}", "PX", 60_000])
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: ["org"], scope: .org(4)))
        #expect(report.keys == 1)
        #expect(throws: WWError.self) { try warm(database, redisURL: self.server.url(), WarmOptions(families: ["org"])) }
    }

    @Test func aCrashedHoldersLockExpiresAndIsTakenOver() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let key = unprefixed.lockKey(scope: "warm:all")
        // What a holder that died mid-run leaves: its lock, with a short TTL left.
        try redis.command(["SET", key, #"{"token":"dead","host":"crashed-host","pid":4242,"startedAt":"2026-11-25T03:00:00.000Z"}"#, "PX", 400])
        do {
            try warm(database, redisURL: server.url(), WarmOptions(families: ["org"]))
            Issue.record("the warm ran while the lock was held")
        } catch let error as any CategorizedError {
            #expect(error.category == .temporaryFailure)
            #expect(error.message.contains("host crashed-host, pid 4242, since 2026-11-25T03:00:00.000Z"))
        }
        #expect(try redis.command(["DBSIZE"]).int == 1)
        // Nobody renews it: it expires, and the next run takes over.
        let deadline = Date().addingTimeInterval(30)
        while try redis.command(["EXISTS", key]).int == 1 && Date() < deadline { usleep(50_000) }
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: ["org"]))
        #expect(report.keys == 12)
        #expect(try redis.command(["EXISTS", key]).int == 0)
    }

    @Test func theHolderRenewsAndReleasesOnlyItsOwnLock() throws {
        try redis.command(["FLUSHALL"])
        let lock = try WarmLock.acquire(try RedisConnection(server.url()), scope: "warm:org:9", in: keyspace("p:"), ttlMilliseconds: 60_000)
        let key = "p:wwctl:lock:warm:org:9"
        #expect(lock.key == Array(key.utf8))
        let value = try JSONParser.parse(try redis.command(["GET", key]).string ?? "")
        #expect(value["pid"]?.intValue == Int(getpid()))
        #expect(value["token"]?.stringValue?.count == 32)
        #expect(value["host"]?.stringValue == hostName())

        // Renewing restores the TTL.
        try redis.command(["PEXPIRE", key, 2_000])
        #expect(try lock.renew())
        #expect((try redis.command(["PTTL", key]).int ?? 0) > 30_000)

        // Once another holder has the key, renewing fails and releasing leaves it alone.
        try redis.command(["SET", key, "someone else", "PX", 60_000])
        #expect(try !lock.renew())
        try lock.release()
        #expect(try redis.command(["GET", key]).string == "someone else")

        // Our own lock is deleted on release.
        try redis.command(["DEL", key])
        let again = try WarmLock.acquire(try RedisConnection(server.url()), scope: "warm:org:9", in: keyspace("p:"))
        #expect(throws: WWError.self) { try WarmLock.acquire(try RedisConnection(self.server.url()), scope: "warm:org:9", in: keyspace("p:")) }
        try again.release()
        #expect(try redis.command(["EXISTS", key]).int == 0)
    }

    @Test func aRunRenewsItsLockWhileItWorks() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let url = server.url()
        let key = unprefixed.lockKey(scope: "warm:all")
        let observed = Mutex<[Int64]>([])
        var options = WarmOptions(families: ["org"])
        options.lockTTLMilliseconds = 60_000
        options.lockRenewInterval = 0.02
        options.afterSnapshot = { _ in
            // Shorten the lock under the run's feet; its renewals put the full TTL back.
            guard let probe = try? RedisConnection(url) else { return }
            _ = try? probe.command(["PEXPIRE", key, 5_000])
            let deadline = Date().addingTimeInterval(20)
            var pttl: Int64 = 0
            repeat {
                usleep(10_000)
                pttl = (try? probe.command(["PTTL", key]))?.int ?? 0
            } while pttl <= 5_000 && Date() < deadline
            observed.withLock { $0.append(pttl) }
        }
        try warm(database, redisURL: url, options)
        #expect(observed.withLock { $0.first ?? 0 } > 5_000)
    }
}

/// This machine's name as gethostname(2) gives it (what the lock records).
private func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
