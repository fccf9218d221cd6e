#if canImport(Glibc)
import Glibc
#endif

/// Seconds on the monotonic clock, for intervals (never the time of day).
public enum Monotonic {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

extension Duration {
    /// The duration in milliseconds, with its fraction: round trips and the phases of an
    /// invalidation are reported in milliseconds.
    public var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// `inMilliseconds` to the microsecond: further digits are noise in a report.
    public var roundedMilliseconds: Double { roundedToMicroseconds(inMilliseconds) }
}

/// Milliseconds to the microsecond (12.3456789 → 12.346).
public func roundedToMicroseconds(_ milliseconds: Double) -> Double {
    (milliseconds * 1000).rounded() / 1000
}
