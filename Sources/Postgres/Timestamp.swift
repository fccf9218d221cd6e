/// Calendar arithmetic for PostgreSQL's timestamp text, in the proleptic Gregorian
/// calendar PostgreSQL uses, without Foundation's calendar machinery (which would pull
/// ICU into every process start). Instants are microseconds since 1970-01-01 UTC.
///
/// The one implementation in wwctl: row reading and parameters here, the cache warmer's
/// JSON (`ISOTimestamp`, whose fast path only copies bytes and falls back to this), the
/// seed's calendar and the tokens' `UnixTime` all use it.
public enum Timestamp {
    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][±HH[:MM[:SS]]|Z][ BC]` (DateStyle ISO; a
    /// `T` separator is accepted too). No offset means UTC. nil for `infinity`,
    /// `-infinity`, anything else, and instants whose microseconds do not fit an `Int64`
    /// (beyond about ±292,000 years from 1970).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let instant = parseInstant(bytes) else { return nil }
        let (scaled, overflow) = instant.seconds.multipliedReportingOverflow(by: 1_000_000)
        let (micros, overflow2) = scaled.addingReportingOverflow(instant.microseconds)
        return overflow || overflow2 ? nil : micros
    }

    /// `parse` split into whole seconds since 1970-01-01 UTC and the microseconds after
    /// them (0 ..< 1 000 000): any year of up to nine digits fits, so this never fails for
    /// range. Leap seconds (`:60`) and offsets are folded into the instant.
    public static func parseInstant(_ bytes: UnsafeBufferPointer<UInt8>) -> (seconds: Int64, microseconds: Int64)? {
        var scanner = Scanner(bytes: bytes)
        guard let year = scanner.number(minDigits: 4, maxDigits: 9), scanner.skip("-"),
              let month = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip("-"),
              let day = scanner.number(minDigits: 2, maxDigits: 2),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        // A date alone may still be BC (`0044-03-15 BC`): the space then starts no time.
        let dateOnlyBC = scanner.remainingIs(" BC")
        if !dateOnlyBC, scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
                  let minute = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
                  let second = scanner.number(minDigits: 2, maxDigits: 2),
                  hour <= 24, minute < 60, second <= 60
            else { return nil }
            seconds = hour * 3600 + minute * 60 + second
            if scanner.skip(".") {
                var digits = 0
                var fraction: Int64 = 0
                while let digit = scanner.digit() {
                    if digits < 6 { fraction = fraction * 10 + digit }
                    digits += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 6) { fraction *= 10 }
                micros = fraction
            }
            if let sign = scanner.sign() {
                guard let oh = scanner.number(minDigits: 2, maxDigits: 2) else { return nil }
                var offset = oh * 3600
                if scanner.skip(":") {
                    guard let om = scanner.number(minDigits: 2, maxDigits: 2) else { return nil }
                    offset += om * 60
                    if scanner.skip(":") {
                        guard let os = scanner.number(minDigits: 2, maxDigits: 2) else { return nil }
                        offset += os
                    }
                }
                offsetSeconds = sign * offset
            } else if scanner.skip("Z") {
                offsetSeconds = 0
            }
        }
        var astronomicalYear = year
        if scanner.skip(" BC") { astronomicalYear = 1 - year }
        guard scanner.atEnd else { return nil }
        let days = daysFromCivil(year: astronomicalYear, month: month, day: day)
        return (days * 86_400 + seconds - offsetSeconds, micros)
    }

    /// PostgreSQL input form, always UTC: `2026-01-02 03:04:05.678901+00`.
    public static func postgresText(micros: Int64) -> String {
        let (days, dayMicros) = floorDivision(micros, 86_400_000_000)
        let (year, month, day) = civilFromDays(days)
        let seconds = dayMicros / 1_000_000
        let fraction = dayMicros % 1_000_000
        let bc = year <= 0
        let shownYear = bc ? 1 - year : year
        return "\(pad(shownYear, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 6))+00"
            + (bc ? " BC" : "")
    }

    /// JavaScript's `Date.prototype.toISOString()`: milliseconds, truncated as a JS
    /// `Date` built from the value would truncate them; years outside 0…9999 get the
    /// expanded `±YYYYYY` form.
    public static func isoString(micros: Int64) -> String {
        isoString(milliseconds: floorDivision(micros, 1000).0)
    }

    /// `isoString` of Unix milliseconds (what JavaScript's `Date.now()` counts).
    public static func isoString(milliseconds: Int64) -> String {
        let (seconds, millisecond) = floorDivision(milliseconds, 1000)
        return isoString(seconds: seconds, millisecond: millisecond)
    }

    /// `isoString` of whole seconds since 1970 and the millisecond (0…999) after them.
    public static func isoString(seconds: Int64, millisecond: Int64) -> String {
        let (days, daySeconds) = floorDivision(seconds, 86_400)
        let (year, month, day) = civilFromDays(days)
        let yearText = (0...9999).contains(year) ? pad(year, 4) : (year < 0 ? "-" : "+") + pad(abs(year), 6)
        return "\(yearText)-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(daySeconds / 3600, 2)):\(pad(daySeconds / 60 % 60, 2)):\(pad(daySeconds % 60, 2)).\(pad(millisecond, 3))Z"
    }

    // Howard Hinnant's days_from_civil / civil_from_days.

    /// Days since 1970-01-01 of a proleptic Gregorian date (astronomical year: 0 is 1 BC).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date (astronomical year) of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Quotient rounded toward negative infinity, and the remainder (0 ..< b for b > 0).
    public static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func digit() -> Int64? {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - 0x30)
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            let start = index
            var value: Int64 = 0
            while index - start < maxDigits, let d = digit() { value = value * 10 + d }
            if index - start < minDigits {
                index = start
                return nil
            }
            return value
        }

        mutating func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let matches = literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            if matches { index += count }
            return matches
        }

        /// Whether the bytes left are exactly `literal` (nothing consumed).
        func remainingIs(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index == count else { return false }
            return literal.withUTF8Buffer { expected in (0..<count).allSatisfy { bytes[index + $0] == expected[$0] } }
        }

        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
