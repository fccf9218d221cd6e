import Postgres
import Support

// Writing the app's JSON straight into byte buffers: cache warming builds millions of
// values, so it appends bytes instead of building `JSONValue` trees or Strings.
//
// The text is exactly what the NestJS app's `JSON.stringify` writes: no whitespace,
// strings escaped as `Support.JSONWriter.appendQuoted` escapes them (`"`, `\`, the
// control characters; `/` and non-ASCII as they are), timestamps as
// `Date.prototype.toISOString()` prints them, money as decimal strings.

extension Array where Element == UInt8 {
    /// Appends literal JSON punctuation and field names: `append(#"{"id":"#)`.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }

    /// The decimal digits of `value` (`-12`).
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            if value == .min {
                append("9223372036854775808")
                return
            }
            appendDecimal(-value)
            return
        }
        var divisor: Int64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(0x30 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    // MARK: values from COPY fields

    /// An integer column as a JSON number; NULL as `null`.
    @inline(__always)
    mutating func jsonNumber(_ row: CopyRow, _ index: Int) {
        if row.isNull(index) { append("null") } else { append(row.raw(index)) }
    }

    /// A text column as a JSON string; NULL as `null`.
    mutating func jsonString(_ row: CopyRow, _ index: Int) {
        if row.isNull(index) {
            append("null")
            return
        }
        appendJSONString(copyText: row.raw(index))
    }

    /// A NUMERIC column as a decimal string (`"19.90"`, the scale PostgreSQL keeps); NULL as `null`.
    @inline(__always)
    mutating func jsonDecimalString(_ row: CopyRow, _ index: Int) {
        if row.isNull(index) {
            append("null")
            return
        }
        append(UInt8(ascii: "\""))
        append(row.raw(index))
        append(UInt8(ascii: "\""))
    }

    /// A boolean column as `true`/`false`; NULL as `null`.
    mutating func jsonBool(_ row: CopyRow, _ index: Int) throws {
        if row.isNull(index) {
            append("null")
            return
        }
        if try row.bool(index) { append("true") } else { append("false") }
    }

    /// A timestamptz column as the app's ISO-8601 string; NULL (and ±infinity, which a
    /// JS Date cannot hold: JSON.stringify writes `null` for an invalid date) as `null`.
    mutating func jsonTimestamp(_ row: CopyRow, _ index: Int) throws {
        if row.isNull(index) {
            append("null")
            return
        }
        try ISOTimestamp.appendQuoted(postgresText: row.raw(index), to: &self)
    }

    /// A json/jsonb column, re-serialized compactly as JSON.stringify would print the
    /// parsed value (jsonb's own text has spaces after `:` and `,`); NULL as `null`.
    mutating func jsonDocument(_ row: CopyRow, _ index: Int) throws {
        guard let bytes = row.bytes(index) else {
            append("null")
            return
        }
        do {
            append(contentsOf: try JSONParser.parse(bytes).compactText.utf8)
        } catch {
            throw WWError.internalError("warm: COPY column \(index + 1) is not JSON: \(error)")
        }
    }

    /// A string literal from COPY text (escapes decoded), escaped as JSON.stringify does.
    mutating func appendJSONString(copyText field: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        var plain = true
        for byte in field where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            append(field)
        } else {
            CopyRows.unescape(field) { appendJSONEscaped($0) }
        }
        append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private mutating func appendJSONEscaped(_ byte: UInt8) {
        switch byte {
        case 0x22: append("\\\"")
        case 0x5C: append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case 0..<0x20:
            append("\\u00")
            append(JSONHex.digits[Int(byte >> 4)])
            append(JSONHex.digits[Int(byte & 0xF)])
        default:
            append(byte)
        }
    }
}

enum JSONHex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// PostgreSQL's timestamptz text (DateStyle ISO: `2026-11-15 12:00:00.5+00`, ` BC` for
/// years before 1) to JavaScript's `toISOString()` (`2026-11-15T12:00:00.500Z`):
/// milliseconds truncated, as a JS Date built from the value keeps them; years outside
/// 0…9999 in the expanded `±YYYYYY` form. The usual `+00` shape is rewritten byte for
/// byte (`appendFast`); every other shape goes through `Postgres.Timestamp`.
enum ISOTimestamp {
    /// Appends the quoted ISO string, or `null` for ±infinity.
    static func appendQuoted(postgresText field: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) throws {
        if appendFast(field, &out) { return }
        if field.count > 0, field[field.count - 1] == UInt8(ascii: "y"), field.elementsEqual("infinity".utf8) || field.elementsEqual("-infinity".utf8) {
            out.append("null")
            return
        }
        guard let instant = Timestamp.parseInstant(field) else {
            throw WWError.internalError("warm: not a timestamp: \"\(String(decoding: field.prefix(40), as: UTF8.self))\"")
        }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: Timestamp.isoString(seconds: instant.seconds, millisecond: instant.microseconds / 1000).utf8)
        out.append(UInt8(ascii: "\""))
    }

    private static let digitPositions = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]

    /// The usual case, `YYYY-MM-DD HH:MM:SS[.f…]+00`, rewritten byte for byte; nil when the
    /// text has any other shape (offset, BC, a year beyond 9999, a leap second).
    @inline(__always)
    private static func appendFast(_ field: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) -> Bool {
        let count = field.count
        guard count >= 22, field[4] == 0x2D, field[7] == 0x2D, field[10] == 0x20, field[13] == 0x3A,
              field[16] == 0x3A, field[count - 3] == 0x2B, field[count - 2] == 0x30, field[count - 1] == 0x30,
              field[17] <= 0x35
        else { return false }
        for position in digitPositions where field[position] < 0x30 || field[position] > 0x39 {
            return false
        }
        func two(_ at: Int) -> Int { Int(field[at] - 0x30) * 10 + Int(field[at + 1] - 0x30) }
        guard (1...12).contains(two(5)), (1...31).contains(two(8)), two(11) <= 23, two(14) <= 59 else { return false }
        var millis: (UInt8, UInt8, UInt8) = (0x30, 0x30, 0x30)
        if count > 22 {
            guard field[19] == 0x2E, count <= 29 else { return false }
            var digit = 0
            for position in 20..<(count - 3) {
                let byte = field[position]
                guard byte >= 0x30, byte <= 0x39 else { return false }
                switch digit {
                case 0: millis.0 = byte
                case 1: millis.1 = byte
                case 2: millis.2 = byte
                default: break
                }
                digit += 1
            }
        } else if count != 22 {
            return false
        }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: field[0..<10]))
        out.append(UInt8(ascii: "T"))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: field[11..<19]))
        out.append(UInt8(ascii: "."))
        out.append(millis.0)
        out.append(millis.1)
        out.append(millis.2)
        out.append(UInt8(ascii: "Z"))
        out.append(UInt8(ascii: "\""))
        return true
    }
}
