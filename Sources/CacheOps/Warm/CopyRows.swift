import Support

/// One row of `COPY … TO STDOUT` text output, read in place: fields are ranges of the
/// chunk `copyOut` lends, valid only during the call that receives the row.
///
/// COPY's text format: fields separated by a tab, rows by a newline, NULL written `\N`,
/// and a backslash escaping itself, tab, newline, carriage return, backspace, form feed
/// and vertical tab (`\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`); other bytes are as stored.
struct CopyRow {
    let base: UnsafePointer<UInt8>
    /// Start and end offsets of each field, relative to `base`: field i is
    /// `bounds[2i] ..< bounds[2i+1]`.
    let bounds: UnsafeBufferPointer<Int>

    /// The field's bytes as COPY wrote them (escapes not decoded).
    @inline(__always)
    func raw(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = bounds[2 * index]
        return UnsafeBufferPointer(start: base + start, count: bounds[2 * index + 1] - start)
    }

    @inline(__always)
    func isNull(_ index: Int) -> Bool {
        let field = raw(index)
        return field.count == 2 && field[0] == UInt8(ascii: "\\") && field[1] == UInt8(ascii: "N")
    }

    /// A bigint column; throws for NULL or anything but an integer.
    func int64(_ index: Int) throws -> Int64 {
        let field = raw(index)
        var value: Int64 = 0
        var negative = false
        var position = 0
        if field.count > 1, field[0] == UInt8(ascii: "-") {
            negative = true
            position = 1
        }
        guard position < field.count else { throw CopyRows.badField(index, field, "an integer") }
        while position < field.count {
            let byte = field[position]
            guard byte >= 0x30, byte <= 0x39 else { throw CopyRows.badField(index, field, "an integer") }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow, !overflow2 else { throw CopyRows.badField(index, field, "a 64-bit integer") }
            value = next
            position += 1
        }
        return negative ? -value : value
    }

    /// A boolean column (`t`/`f`); throws otherwise.
    func bool(_ index: Int) throws -> Bool {
        let field = raw(index)
        if field.count == 1 && field[0] == UInt8(ascii: "t") { return true }
        if field.count == 1 && field[0] == UInt8(ascii: "f") { return false }
        throw CopyRows.badField(index, field, "a boolean")
    }

    /// The field's value with escapes decoded; nil for NULL.
    func bytes(_ index: Int) -> [UInt8]? {
        if isNull(index) { return nil }
        var out: [UInt8] = []
        CopyRows.unescape(raw(index)) { out.append($0) }
        return out
    }

    func string(_ index: Int) -> String? {
        bytes(index).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Splits the chunks of a COPY into rows without copying them.
struct CopyRowParser {
    /// How many columns every row must have.
    let columns: Int
    /// Field bounds of the current row, reused for every row.
    private var bounds: [Int]

    init(columns: Int) {
        self.columns = columns
        self.bounds = [Int](repeating: 0, count: 2 * max(columns, 1))
    }

    /// Calls `body` for each row of `chunk` (whole rows, as `copyOut` delivers them).
    mutating func parse(_ chunk: UnsafeRawBufferPointer, _ body: (CopyRow) throws -> Void) throws {
        guard let start = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let end = chunk.count
        let columns = self.columns
        var lineStart = 0
        try bounds.withUnsafeMutableBufferPointer { bounds in
            while lineStart < end {
                var position = lineStart
                var field = 0
                bounds[0] = lineStart
                while position < end {
                    let byte = start[position]
                    if byte == 0x0A { break }
                    if byte == 0x09 {
                        guard field + 1 < columns else {
                            throw WWError.internalError("warm: a COPY row has more than \(columns) columns")
                        }
                        bounds[2 * field + 1] = position
                        field += 1
                        bounds[2 * field] = position + 1
                    }
                    position += 1
                }
                guard field + 1 == columns else {
                    throw WWError.internalError("warm: a COPY row has \(field + 1) columns, expected \(columns)")
                }
                bounds[2 * field + 1] = position
                let row = CopyRow(base: start, bounds: UnsafeBufferPointer(bounds))
                try body(row)
                lineStart = position + 1
            }
        }
    }
}

enum CopyRows {
    /// Decodes COPY text escapes, handing each decoded byte to `emit`.
    @inline(__always)
    static func unescape(_ field: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Void) {
        var index = 0
        let count = field.count
        while index < count {
            let byte = field[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < count else {
                emit(byte)
                continue
            }
            let escaped = field[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): emit(0x08)
            case UInt8(ascii: "f"): emit(0x0C)
            case UInt8(ascii: "n"): emit(0x0A)
            case UInt8(ascii: "r"): emit(0x0D)
            case UInt8(ascii: "t"): emit(0x09)
            case UInt8(ascii: "v"): emit(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                // \ooo: up to three octal digits.
                var value = Int(escaped - 0x30)
                var digits = 1
                while digits < 3, index < count, field[index] >= 0x30, field[index] <= 0x37 {
                    value = value * 8 + Int(field[index] - 0x30)
                    index += 1
                    digits += 1
                }
                emit(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                // \xh or \xhh.
                var value = 0
                var digits = 0
                while digits < 2, index < count, let digit = hexValue(field[index]) {
                    value = value * 16 + digit
                    index += 1
                    digits += 1
                }
                if digits == 0 {
                    emit(UInt8(ascii: "x"))
                } else {
                    emit(UInt8(truncatingIfNeeded: value))
                }
            default:
                emit(escaped)
            }
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - 0x61 + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - 0x41 + 10)
        default: nil
        }
    }

    static func badField(_ index: Int, _ field: UnsafeBufferPointer<UInt8>, _ expected: String) -> WWError {
        let text = String(decoding: field.prefix(40), as: UTF8.self)
        return WWError.internalError("warm: COPY column \(index + 1) is not \(expected): \"\(text)\"")
    }
}
