import Postgres

/// Time in the seed data: whole seconds since 1970 (UTC), all derived from a fixed anchor so
/// the same seed gives the same timestamps whatever day it runs.
///
/// The anchor is "now" for the generated world: orders span the 365 days before it, items
/// delivered less than 14 days before it are still pending in the ledger, and the payout of
/// its own month has not run yet.
enum SeedCalendar {
    /// 2026-11-15 12:00:00 UTC.
    static let anchor: Int64 = 1_794_744_000
    static let day: Int64 = 86_400
    static let hour: Int64 = 3_600
    static let orderWindowStart: Int64 = anchor - 365 * day
    /// Sale entries settle this long after delivery.
    static let holdingPeriod: Int64 = 14 * day

    /// Days since 1970-01-01 of a civil date.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        Timestamp.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// The civil date of a day number.
    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let date = Timestamp.civilFromDays(days)
        return (Int(date.year), Int(date.month), Int(date.day))
    }

    static func seconds(year: Int, month: Int, day: Int, hour: Int = 0) -> Int64 {
        days(year: year, month: month, day: day) * Self.day + Int64(hour) * Self.hour
    }

    /// Months since year 0 (year × 12 + month − 1) of a moment.
    static func monthNumber(_ time: Int64) -> Int {
        let date = civil(days: Timestamp.floorDivision(time, day).0)
        return date.year * 12 + date.month - 1
    }

    /// The first second of a month number.
    static func start(ofMonth number: Int) -> Int64 {
        seconds(year: number / 12, month: number % 12 + 1, day: 1)
    }

    /// `YYYY-MM` of a month number: the payout period format.
    static func period(ofMonth number: Int) -> String {
        let month = number % 12 + 1
        return "\(number / 12)-\(month < 10 ? "0" : "")\(month)"
    }

    /// `YYYY-MM-DD HH:MM:SS+00`, what COPY reads into a timestamptz.
    static func timestamp(_ time: Int64) -> String {
        let dayNumber = Timestamp.floorDivision(time, day).0
        let date = civil(days: dayNumber)
        let second = Int(time - dayNumber * day)
        var out = [UInt8]()
        out.reserveCapacity(22)
        appendDigits(&out, date.year, width: 4)
        out.append(UInt8(ascii: "-"))
        appendDigits(&out, date.month, width: 2)
        out.append(UInt8(ascii: "-"))
        appendDigits(&out, date.day, width: 2)
        out.append(UInt8(ascii: " "))
        appendDigits(&out, second / 3600, width: 2)
        out.append(UInt8(ascii: ":"))
        appendDigits(&out, second / 60 % 60, width: 2)
        out.append(UInt8(ascii: ":"))
        appendDigits(&out, second % 60, width: 2)
        out.append(contentsOf: "+00".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendDigits(_ out: inout [UInt8], _ value: Int, width: Int) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = value
        var index = width - 1
        while index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        out.append(contentsOf: digits)
    }
}
