/// What happened between two `INFO` samples: the rates `redis-cli --stat` shows plus
/// the ones it lacks (hit rate and evictions over the interval).
///
/// A counter that went down between the samples (CONFIG RESETSTAT, a restart) restarted
/// from 0, so its value at the second sample is the delta, as Prometheus' `rate()` does.
public struct MetricsInterval: Sendable, Equatable {
    /// Wall-clock seconds between the two samples (measured, not the requested interval).
    public var seconds: Double
    public var hits: Int
    public var misses: Int
    public var evicted: Int
    public var expired: Int
    /// Commands the server processed, less the sampler's own INFO.
    public var commands: Int
    /// Bytes at the second sample, and the change since the first.
    public var usedMemory: Int
    public var usedMemoryDelta: Int
    /// Keys in all databases at the second sample.
    public var keys: Int

    /// `ownCommands` is how many commands the sampler itself sent between the samples
    /// (the first INFO counts only once it has finished, so it shows in the second).
    public init(from start: RedisMetrics, to end: RedisMetrics, seconds: Double, ownCommands: Int = 1) {
        self.seconds = seconds
        hits = Self.delta(start.keyspaceHits, end.keyspaceHits)
        misses = Self.delta(start.keyspaceMisses, end.keyspaceMisses)
        evicted = Self.delta(start.evictedKeys, end.evictedKeys)
        expired = Self.delta(start.expiredKeys, end.expiredKeys)
        commands = max(0, Self.delta(start.totalCommandsProcessed, end.totalCommandsProcessed) - ownCommands)
        usedMemory = end.usedMemory
        usedMemoryDelta = end.usedMemory - start.usedMemory
        keys = end.keys
    }

    /// Hits over lookups during the interval; nil when there was no lookup.
    public var hitRate: Double? { HitRate.ratio(hits: hits, misses: misses) }

    public var hitsPerSec: Double { perSecond(hits) }
    public var missesPerSec: Double { perSecond(misses) }
    public var evictedPerSec: Double { perSecond(evicted) }
    public var expiredPerSec: Double { perSecond(expired) }
    public var opsPerSec: Double { perSecond(commands) }

    private func perSecond(_ count: Int) -> Double {
        seconds > 0 ? Double(count) / seconds : 0
    }

    private static func delta(_ start: Int, _ end: Int) -> Int {
        end >= start ? end - start : end
    }
}
