import FoundationEssentials
import Support

/// A column, by position (`row.string(0)`) or by the name the server sent (`row.string("name")`).
public protocol PostgresColumnReference: Sendable {
    func columnIndex(in row: PostgresRow) -> Int?
    var columnDescription: String { get }
}

extension Int: PostgresColumnReference {
    public func columnIndex(in row: PostgresRow) -> Int? { self >= 0 && self < row.columnCount ? self : nil }
    public var columnDescription: String { "#\(self)" }
}

extension String: PostgresColumnReference {
    public func columnIndex(in row: PostgresRow) -> Int? { row.handle.columnIndex(named: self) }
    public var columnDescription: String { self }
}

/// One row of a result, read in PostgreSQL's text format.
///
/// Each accessor returns nil for NULL, for an unknown column and for text that is not
/// of the asked type; each `requiredX` throws instead, naming the column. NUMERIC comes
/// back as `ExactDecimal`, never through binary floating point.
public struct PostgresRow: Sendable {
    let handle: ResultHandle
    let row: Int32

    public var columnCount: Int { handle.columnCount }
    public var columns: [String] { (0..<columnCount).map(handle.columnName) }

    /// The raw text bytes of a column; nil for NULL or an unknown column.
    public func withBytes<T>(_ column: some PostgresColumnReference, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T? {
        guard let index = column.columnIndex(in: self), row >= 0, row < handle.pq.ntuples(handle.pointer) else { return nil }
        let pq = handle.pq
        let result = handle.pointer
        if pq.getisnull(result, row, Int32(index)) != 0 { return nil }
        guard let value = pq.getvalue(result, row, Int32(index)) else { return nil }
        let length = Int(pq.getlength(result, row, Int32(index)))
        return try withExtendedLifetime(handle) {
            try value.withMemoryRebound(to: UInt8.self, capacity: length) {
                try body(UnsafeBufferPointer(start: $0, count: length))
            }
        }
    }

    /// True for NULL (and for a column that does not exist).
    public func isNull(_ column: some PostgresColumnReference) -> Bool {
        withBytes(column) { _ in false } ?? true
    }

    public func string(_ column: some PostgresColumnReference) -> String? {
        withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    public func int(_ column: some PostgresColumnReference) -> Int? {
        withBytes(column) { Self.parseInteger($0) }.flatMap { $0 }.map { Int($0) }
    }

    public func int64(_ column: some PostgresColumnReference) -> Int64? {
        withBytes(column) { Self.parseInteger($0) }.flatMap { $0 }
    }

    public func int32(_ column: some PostgresColumnReference) -> Int32? {
        int64(column).flatMap { Int32(exactly: $0) }
    }

    /// `t`/`f` as PostgreSQL prints booleans (`true`/`false` also accepted).
    public func bool(_ column: some PostgresColumnReference) -> Bool? {
        withBytes(column) { bytes -> Bool? in
            switch String(decoding: bytes, as: UTF8.self) {
            case "t", "true": true
            case "f", "false": false
            default: nil
            }
        }.flatMap { $0 }
    }

    /// NUMERIC (or any integer) exactly; nil for `NaN` and infinities.
    public func decimal(_ column: some PostgresColumnReference) -> ExactDecimal? {
        withBytes(column) { ExactDecimal(String(decoding: $0, as: UTF8.self)) }.flatMap { $0 }
    }

    /// A `timestamptz`, `timestamp` (read as UTC) or `date` (UTC midnight);
    /// nil for `infinity`.
    public func date(_ column: some PostgresColumnReference) -> Date? {
        microseconds(column).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }

    /// The instant as JavaScript's `toISOString()` prints it (`2026-01-02T03:04:05.678Z`),
    /// which is how the app's cached JSON spells timestamps.
    public func isoTimestamp(_ column: some PostgresColumnReference) -> String? {
        microseconds(column).map(Timestamp.isoString(micros:))
    }

    /// Microseconds since 1970-01-01 UTC, exactly as the server has them.
    public func microseconds(_ column: some PostgresColumnReference) -> Int64? {
        withBytes(column) { Timestamp.parse($0) }.flatMap { $0 }
    }

    /// A one-dimensional `bigint[]`/`int[]`; nil when it holds a NULL.
    public func int64Array(_ column: some PostgresColumnReference) -> [Int64]? {
        guard let elements = arrayElements(column) else { return nil }
        var values: [Int64] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element, let value = Int64(element) else { return nil }
            values.append(value)
        }
        return values
    }

    /// A one-dimensional `text[]`; nil when it holds a NULL.
    public func stringArray(_ column: some PostgresColumnReference) -> [String]? {
        guard let elements = arrayElements(column) else { return nil }
        var values: [String] = []
        for element in elements {
            guard let element else { return nil }
            values.append(element)
        }
        return values
    }

    /// Elements of a one-dimensional array literal, NULL as nil.
    public func arrayElements(_ column: some PostgresColumnReference) -> [String?]? {
        string(column).flatMap(ArrayLiteral.parse)
    }

    // MARK: required

    public func requiredString(_ column: some PostgresColumnReference) throws(WWError) -> String {
        try required(column, "text", string)
    }

    public func requiredInt(_ column: some PostgresColumnReference) throws(WWError) -> Int {
        try required(column, "an integer", int)
    }

    public func requiredInt64(_ column: some PostgresColumnReference) throws(WWError) -> Int64 {
        try required(column, "an integer", int64)
    }

    public func requiredBool(_ column: some PostgresColumnReference) throws(WWError) -> Bool {
        try required(column, "a boolean", bool)
    }

    public func requiredDecimal(_ column: some PostgresColumnReference) throws(WWError) -> ExactDecimal {
        try required(column, "a decimal", decimal)
    }

    public func requiredIsoTimestamp(_ column: some PostgresColumnReference) throws(WWError) -> String {
        try required(column, "a timestamp", isoTimestamp)
    }

    public func requiredInt64Array(_ column: some PostgresColumnReference) throws(WWError) -> [Int64] {
        try required(column, "an integer array without NULLs", int64Array)
    }

    public func requiredStringArray(_ column: some PostgresColumnReference) throws(WWError) -> [String] {
        try required(column, "a text array without NULLs", stringArray)
    }

    private func required<C: PostgresColumnReference, T>(
        _ column: C, _ expected: String, _ read: (C) -> T?
    ) throws(WWError) -> T {
        if let value = read(column) { return value }
        guard let index = column.columnIndex(in: self) else {
            throw .internalError("postgres: no column \(column.columnDescription) in result (columns: \(columns.joined(separator: ", ")))")
        }
        let name = handle.columnName(index)
        guard let text = string(index) else {
            throw .internalError("postgres: column \(name) is NULL, expected \(expected)")
        }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        throw .internalError("postgres: column \(name) is not \(expected): \"\(shown)\"")
    }

    // MARK: parsing

    static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let digit = Int64(byte - 0x30)
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            index += 1
        }
        return value
    }
}

/// PostgreSQL's text output of a one-dimensional array: `{1,2,NULL}`, `{"a b",c}`.
enum ArrayLiteral {
    static func parse(_ text: String) -> [String?]? {
        var scalars = Array(text.unicodeScalars)[...]
        // A lower bound decoration (`[0:1]={…}`) is not something wwctl produces.
        guard scalars.popFirst() == "{", scalars.popLast() == "}" else { return nil }
        if scalars.isEmpty { return [] }
        var elements: [String?] = []
        while true {
            var element = String.UnicodeScalarView()
            var quoted = false
            if scalars.first == "\"" {
                quoted = true
                scalars = scalars.dropFirst()
                var closed = false
                while let scalar = scalars.popFirst() {
                    if scalar == "\\" {
                        guard let escaped = scalars.popFirst() else { return nil }
                        element.append(escaped)
                    } else if scalar == "\"" {
                        closed = true
                        break
                    } else {
                        element.append(scalar)
                    }
                }
                guard closed else { return nil }
            } else {
                while let scalar = scalars.first, scalar != "," {
                    if scalar == "{" || scalar == "\"" { return nil }
                    element.append(scalar)
                    scalars = scalars.dropFirst()
                }
            }
            let value = String(element)
            elements.append(!quoted && value == "NULL" ? nil : value)
            guard let separator = scalars.popFirst() else { return elements }
            guard separator == "," else { return nil }
        }
    }
}
