import Redis
import Support

/// `metrics --watch`: an INFO every interval and the deltas between consecutive ones.
public enum MetricsWatcher {
    public enum End: Sendable, Equatable {
        /// `count` intervals were reported.
        case completed
        /// Ctrl-C stopped the watch between samples.
        case interrupted
    }

    /// Samples at start and then every `interval` seconds (on a fixed schedule, so slow
    /// replies do not make it drift), calling `onInterval` with the delta to the previous
    /// sample and the new sample. Runs `count` intervals, or until Ctrl-C when `count` is
    /// nil. A server error is thrown, after the intervals already reported.
    public static func watch(
        _ connection: RedisConnection, interval: Double, count: Int? = nil,
        onInterval: (MetricsInterval, RedisMetrics) throws -> Void
    ) throws -> End {
        guard interval > 0, interval.isFinite else {
            throw WWError.usage("the watch interval must be more than 0 seconds")
        }
        if let count, count < 1 { throw WWError.usage("--count must be at least 1") }
        var previous = try RedisMetrics.read(from: connection)
        var previousTime = Monotonic.now()
        let start = previousTime
        var reported = 0
        while count.map({ reported < $0 }) ?? true {
            guard Pause.sleep(until: start + Double(reported + 1) * interval) else { return .interrupted }
            let current = try RedisMetrics.read(from: connection)
            let now = Monotonic.now()
            try onInterval(MetricsInterval(from: previous, to: current, seconds: now - previousTime), current)
            previous = current
            previousTime = now
            reported += 1
        }
        return .completed
    }
}
