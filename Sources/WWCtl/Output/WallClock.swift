import Glibc

/// The time of day as people read it, for watch lines and the REPL's `\watch`, without
/// Foundation.
enum WallClock {
    /// `2025-06-01T12:00:03Z`.
    static func isoUTC() -> String {
        format("%Y-%m-%dT%H:%M:%SZ", local: false)
    }

    /// `12:00:03` in the local time zone.
    static func localTime() -> String {
        format("%H:%M:%S", local: true)
    }

    /// `2025-06-01 14:00:03` in the local time zone.
    static func localDateTime() -> String {
        format("%Y-%m-%d %H:%M:%S", local: true)
    }

    private static func format(_ pattern: String, local: Bool) -> String {
        var now = time(nil)
        var parts = tm()
        if local { localtime_r(&now, &parts) } else { gmtime_r(&now, &parts) }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension WallClock {
    /// Milliseconds since 1970 (what JavaScript's `Date.now()` counts).
    static func unixMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
