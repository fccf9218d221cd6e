import Redis
import Support

/// Limits for `wwctl health`. Crossing a warning limit is WARNING, crossing a critical
/// one CRITICAL; a nil critical limit means that check never goes critical.
public struct HealthThresholds: Sendable, Equatable {
    /// Lowest acceptable keyspace hit rate (0...1) over the server's lifetime.
    public var minHitRate: Double
    public var criticalHitRate: Double?
    /// Highest acceptable used_memory / maxmemory; judged only when maxmemory is set.
    public var maxMemoryRatio: Double
    public var criticalMemoryRatio: Double?
    /// Highest acceptable evictions per second over `window`; nil (and no critical limit)
    /// skips the check and its wait.
    public var maxEvictionsPerSec: Double?
    public var criticalEvictionsPerSec: Double?
    /// Seconds between the two INFO samples of the eviction check.
    public var window: Double

    public init(
        minHitRate: Double = 0.8, criticalHitRate: Double? = nil,
        maxMemoryRatio: Double = 0.9, criticalMemoryRatio: Double? = nil,
        maxEvictionsPerSec: Double? = nil, criticalEvictionsPerSec: Double? = nil,
        window: Double = 1
    ) {
        self.minHitRate = minHitRate
        self.criticalHitRate = criticalHitRate
        self.maxMemoryRatio = maxMemoryRatio
        self.criticalMemoryRatio = criticalMemoryRatio
        self.maxEvictionsPerSec = maxEvictionsPerSec
        self.criticalEvictionsPerSec = criticalEvictionsPerSec
        self.window = window
    }

    /// Whether the eviction check (and so its sampling window) runs.
    public var checksEvictions: Bool { maxEvictionsPerSec != nil || criticalEvictionsPerSec != nil }
}

/// The Redis half of `wwctl health`. Never throws: a server that cannot be reached or
/// answers strangely is itself a verdict (CRITICAL or UNKNOWN), since monitoring needs
/// 0/1/2/3 rather than the CLI's 69.
public enum RedisHealth {
    public static let reachable = "redis-reachable"
    public static let hitRate = "redis-hit-rate"
    public static let memoryRatio = "redis-memory-ratio"
    public static let evictions = "redis-evictions"

    /// Connects with `connect` (which must honour the caller's timeout), reads INFO, and
    /// judges it; with an eviction limit, waits `window` seconds (Ctrl-C cuts it short)
    /// and reads INFO again.
    public static func checks(
        thresholds: HealthThresholds, connect: () throws -> RedisConnection
    ) -> [HealthCheck] {
        let connection: RedisConnection
        let first: RedisMetrics
        let firstTime: Double
        do {
            let started = Monotonic.now()
            connection = try connect()
            first = try RedisMetrics.read(from: connection)
            firstTime = Monotonic.now()
            let ms = (firstTime - started) * 1000
            var checks = [HealthCheck(
                name: reachable, status: .ok, value: (ms * 1000).rounded() / 1000,
                message: "redis \(first.version ?? "?") at \(connection.address) answered in \(shortDecimal(ms)) ms")]
            checks += judge(first, thresholds: thresholds)
            if thresholds.checksEvictions {
                checks.append(evictionCheck(first: first, firstTime: firstTime, thresholds: thresholds, scope: "") {
                    try RedisMetrics.read(from: connection)
                })
            }
            return checks
        } catch {
            return [failure(error)]
        }
    }

    /// The checks that need one sample: hit rate and memory ratio.
    public static func judge(_ metrics: RedisMetrics, thresholds: HealthThresholds) -> [HealthCheck] {
        var checks: [HealthCheck] = []
        if let rate = metrics.hitRate {
            checks.append(Limit.atLeast(
                hitRate, value: rate, warning: thresholds.minHitRate, critical: thresholds.criticalHitRate,
                format: shortDecimal))
        } else {
            checks.append(HealthCheck(
                name: hitRate, status: .ok, threshold: thresholds.minHitRate,
                message: "no lookups since the server started or its statistics were reset; not judged"))
        }
        if let ratio = metrics.memoryRatio {
            var check = Limit.atMost(
                memoryRatio, value: ratio, warning: thresholds.maxMemoryRatio, critical: thresholds.criticalMemoryRatio,
                format: shortDecimal)
            check.message += " (\(humanBytes(metrics.usedMemory)) of \(humanBytes(metrics.maxmemory)))"
            checks.append(check)
        } else {
            checks.append(HealthCheck(
                name: memoryRatio, status: .ok, threshold: thresholds.maxMemoryRatio,
                message: "no maxmemory limit set; not judged"))
        }
        return checks
    }

    /// Evictions per second between `first` and a second reading `window` seconds later.
    /// `scope` ends the message (`, all primaries`).
    static func evictionCheck(
        first: RedisMetrics, firstTime: Double, thresholds: HealthThresholds, scope: String, readAgain: () throws -> RedisMetrics
    ) -> HealthCheck {
        guard Pause.sleep(until: firstTime + thresholds.window) else {
            return HealthCheck(name: evictions, status: .unknown, message: "interrupted before the second sample")
        }
        let second: RedisMetrics
        do {
            second = try readAgain()
        } catch {
            var check = failure(error)
            check.name = evictions
            return check
        }
        let interval = MetricsInterval(from: first, to: second, seconds: Monotonic.now() - firstTime)
        var check = Limit.atMost(
            evictions, value: interval.evictedPerSec, warning: thresholds.maxEvictionsPerSec,
            critical: thresholds.criticalEvictionsPerSec, format: shortDecimal, unit: "/s")
        check.message += " over \(shortDecimal(interval.seconds)) s\(scope)"
        return check
    }

    /// Unreachable, refused or timed out: CRITICAL. A reply wwctl cannot read: UNKNOWN.
    public static func failure(_ error: any Error) -> HealthCheck {
        let message = oneLineMessage(error)
        let status: HealthStatus
        switch (error as? any CategorizedError)?.category {
        case .unavailable?, .temporaryFailure?: status = .critical
        default: status = .unknown
        }
        return HealthCheck(name: reachable, status: status, message: message)
    }
}
