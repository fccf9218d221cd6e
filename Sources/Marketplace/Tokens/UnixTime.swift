import Glibc
import Postgres

/// Wall-clock time in Unix milliseconds, as the app's `Date.now()` reads it: JWT `exp`
/// claims and blacklist TTLs are measured against it.
public enum UnixTime {
    public static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// ISO-8601 in UTC, as JavaScript's `toISOString` writes it: `2011-03-22T18:43:00.000Z`.
    /// Years outside 0000-9999 are written with a sign and six digits, as JavaScript does.
    public static func iso8601(milliseconds: Int64) -> String {
        Timestamp.isoString(milliseconds: milliseconds)
    }
}
