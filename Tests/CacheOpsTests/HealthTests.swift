import CacheOps
import Foundation
import Redis
import Support
import TestSupport
import Testing

private func metrics(hits: Int, misses: Int, used: Int = 100, max: Int = 0) -> RedisMetrics {
    RedisMetrics(
        keyspaceHits: hits, keyspaceMisses: misses, usedMemory: used, usedMemoryPeak: used, maxmemory: max,
        evictedKeys: 0, expiredKeys: 0, connectedClients: 1, opsPerSec: 0, totalCommandsProcessed: 0)
}

@Suite struct HealthUnitTests {
    @Test func worstStatusWins() {
        #expect(HealthStatus.worst([]) == .ok)
        #expect(HealthStatus.worst([.ok, .warning]) == .warning)
        #expect(HealthStatus.worst([.warning, .unknown, .ok]) == .unknown)
        #expect(HealthStatus.worst([.unknown, .critical, .warning]) == .critical)
        #expect(HealthStatus.allCases.map(\.exitCode) == [0, 1, 2, 3])
    }

    @Test func hitRateEachWay() {
        let rate = { (hits: Int, thresholds: HealthThresholds) in
            RedisHealth.judge(metrics(hits: hits, misses: 100 - hits), thresholds: thresholds)
                .first { $0.name == RedisHealth.hitRate }!
        }
        let limits = HealthThresholds(minHitRate: 0.8, criticalHitRate: 0.5)
        let ok = rate(93, limits)
        #expect(ok.status == .ok)
        #expect(ok.message == "0.93 >= 0.8")
        #expect(ok.value == 0.93 && ok.threshold == 0.8)
        #expect(rate(80, limits).status == .ok)
        let warning = rate(79, limits)
        #expect(warning.status == .warning)
        #expect(warning.message == "0.79 < 0.8")
        let critical = rate(30, limits)
        #expect(critical.status == .critical)
        #expect(critical.threshold == 0.5)
        #expect(critical.message == "0.3 < 0.5 (critical)")
        // Without a critical limit a low rate stays a warning.
        #expect(rate(1, HealthThresholds(minHitRate: 0.8)).status == .warning)
    }

    /// `1 < 1` was printed for 0.999995 against 0.99999: the digits now show the comparison.
    @Test func closeValuesShowTheDigitsThatCompare() {
        let rate = { (hits: Int, misses: Int, limit: Double) in
            RedisHealth.judge(metrics(hits: hits, misses: misses), thresholds: HealthThresholds(minHitRate: limit))
                .first { $0.name == RedisHealth.hitRate }!
        }
        #expect(rate(199_999, 1, 0.99999).message == "1 >= 0.99999")
        #expect(rate(199_999, 1, 0.999999).message == "0.999995 < 0.999999")
        #expect(rate(99_999, 1, 0.99999).message == "0.99999 >= 0.99999")
        #expect(rate(93, 7, 0.8).message == "0.93 >= 0.8")
    }

    @Test func noLookupsAndNoMaxmemoryAreNotJudged() {
        let checks = RedisHealth.judge(metrics(hits: 0, misses: 0), thresholds: HealthThresholds(minHitRate: 0.99))
        #expect(checks.map(\.status) == [.ok, .ok])
        #expect(checks[0].value == nil)
        #expect(checks[0].message.contains("not judged"))
        #expect(checks[1].name == RedisHealth.memoryRatio)
        #expect(checks[1].message.contains("no maxmemory"))
    }

    @Test func memoryRatioEachWay() {
        let ratio = { (used: Int) in
            RedisHealth.judge(
                metrics(hits: 1, misses: 0, used: used, max: 1000),
                thresholds: HealthThresholds(maxMemoryRatio: 0.8, criticalMemoryRatio: 0.95)
            ).first { $0.name == RedisHealth.memoryRatio }!
        }
        #expect(ratio(500).status == .ok)
        #expect(ratio(800).status == .ok)
        #expect(ratio(801).status == .warning)
        #expect(ratio(960).status == .critical)
        #expect(ratio(960).message.hasPrefix("0.96 > 0.95 (critical)"))
    }
}

@Suite(.serialized) struct HealthServerTests {
    @Test func thresholdsAgainstARealServer() throws {
        let server = try RedisTestServer(port: CacheOpsPorts.health)
        defer { server.stop() }
        let url = try RedisURL(parsing: server.url())
        let redis = try RedisConnection(url: url)
        try redis.command("SET", "k", "v")
        try redis.command("CONFIG", "RESETSTAT")
        try redis.command("GET", "k")
        for _ in 0..<3 { try redis.command("GET", "missing") }   // hit rate 0.25

        func run(_ thresholds: HealthThresholds) -> [HealthCheck] {
            RedisHealth.checks(thresholds: thresholds) { try RedisConnection(url: url, connectTimeout: 2, commandTimeout: 2) }
        }
        let ok = run(HealthThresholds(minHitRate: 0.2))
        #expect(ok.map(\.name) == [RedisHealth.reachable, RedisHealth.hitRate, RedisHealth.memoryRatio])
        #expect(HealthReport(checks: ok).status == .ok)
        #expect(ok[0].message.contains("7.0"))
        #expect(HealthReport(checks: run(HealthThresholds(minHitRate: 0.5))).status == .warning)
        #expect(HealthReport(checks: run(HealthThresholds(minHitRate: 0.5, criticalHitRate: 0.3))).status == .critical)

        try redis.command("CONFIG", "SET", "maxmemory", "100mb")
        let memory = run(HealthThresholds(minHitRate: 0, maxMemoryRatio: 0.0001)).first { $0.name == RedisHealth.memoryRatio }
        #expect(memory?.status == .warning)
        #expect(memory?.threshold == 0.0001)
    }

    @Test func evictionsOverTheWindow() throws {
        let server = try RedisTestServer(port: CacheOpsPorts.health, arguments: ["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"])
        defer { server.stop() }
        let url = try RedisURL(parsing: server.url())
        let writer = try RedisConnection(url: url)
        let value = [UInt8](repeating: 0x78, count: 1024)
        // Fill to the limit, then keep writing during the window so keys are evicted in it.
        try writer.pipelined((0..<3000).lazy.map { ["SET", "fill:\($0)", value] as [any RedisArgument] }) { _, _ in }
        let stop = ManagedAtomicFlag()
        let done = DispatchSemaphore(value: 0)
        let writerThread = Thread {
            var i = 3000
            while !stop.isSet {
                _ = try? writer.pipeline((i..<i + 100).map { ["SET", "fill:\($0)", value] as [any RedisArgument] })
                i += 100
            }
            done.signal()
        }
        writerThread.start()
        defer {
            stop.set()
            done.wait()
        }
        let thresholds = HealthThresholds(minHitRate: 0, maxEvictionsPerSec: 1, criticalEvictionsPerSec: 1_000_000_000, window: 0.5)
        let checks = RedisHealth.checks(thresholds: thresholds) { try RedisConnection(url: url) }
        let evictions = checks.first { $0.name == RedisHealth.evictions } ?? HealthCheck(name: "missing", status: .unknown, message: "")
        #expect(evictions.status == .warning)
        #expect((evictions.value ?? 0) > 1)
        #expect(evictions.message.contains("/s > 1/s over"))
        let critical = RedisHealth.checks(
            thresholds: HealthThresholds(minHitRate: 0, criticalEvictionsPerSec: 1, window: 0.3)
        ) { try RedisConnection(url: url) }.first { $0.name == RedisHealth.evictions }
        #expect(critical?.status == .critical)
    }

    @Test func unreachableRedisIsCriticalAndNeverThrows() {
        // Port 1: nothing listens there, and the connection is refused at once.
        let checks = RedisHealth.checks(thresholds: HealthThresholds(maxEvictionsPerSec: 1)) {
            try RedisConnection("redis://127.0.0.1:1/0", connectTimeout: 1, commandTimeout: 1)
        }
        #expect(checks.count == 1)
        #expect(checks[0].name == RedisHealth.reachable)
        #expect(checks[0].status == .critical)
        #expect(checks[0].message == "redis 127.0.0.1:1/0: connection refused")
        #expect(HealthReport(checks: checks).status.exitCode == 2)
    }
}

/// A flag one thread sets and another polls.
private final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
