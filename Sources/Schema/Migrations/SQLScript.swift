/// Splits a migration's SQL text into single statements.
///
/// The Postgres client sends every statement through `PQexecParams`, which takes one
/// statement at a time, so a migration is run statement by statement (inside one
/// transaction). A semicolon ends a statement only outside quotes, quoted identifiers,
/// dollar-quoted bodies (`$$ … $$`, `$fn$ … $fn$`) and comments.
enum SQLScript {
    static func statements(in sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        var statements: [String] = []
        var start = 0
        var i = 0
        let n = bytes.count

        func flush(upTo end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if !isBlank(text) { statements.append(trimmed(text)) }
        }

        while i < n {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "'"):
                // E'…' strings treat backslash as an escape; standard strings only double the quote.
                let escapes = i > 0 && (bytes[i - 1] == UInt8(ascii: "E") || bytes[i - 1] == UInt8(ascii: "e"))
                    && (i < 2 || !isIdentifierByte(bytes[i - 2]))
                i += 1
                while i < n {
                    if escapes && bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                    if bytes[i] == UInt8(ascii: "'") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                        break
                    }
                    i += 1
                }
                i += 1
            case UInt8(ascii: "\""):
                i += 1
                while i < n {
                    if bytes[i] == UInt8(ascii: "\"") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") { i += 2; continue }
                        break
                    }
                    i += 1
                }
                i += 1
            case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
                while i < n && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "/") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "*"):
                var depth = 1
                i += 2
                while i < n && depth > 0 {
                    if bytes[i] == UInt8(ascii: "/") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "*") {
                        depth += 1
                        i += 2
                    } else if bytes[i] == UInt8(ascii: "*") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "/") {
                        depth -= 1
                        i += 2
                    } else {
                        i += 1
                    }
                }
            case UInt8(ascii: "$") where i == 0 || !isIdentifierByte(bytes[i - 1]):
                // A dollar quote is $tag$ with tag empty or an identifier; $1 is a parameter.
                var j = i + 1
                while j < n && isIdentifierByte(bytes[j]) && !(j == i + 1 && isDigit(bytes[j])) { j += 1 }
                guard j < n && bytes[j] == UInt8(ascii: "$") else {
                    i += 1
                    continue
                }
                let tag = Array(bytes[i...j])
                i = j + 1
                while i < n {
                    if bytes[i] == UInt8(ascii: "$") && i + tag.count <= n && Array(bytes[i..<(i + tag.count)]) == tag {
                        i += tag.count
                        break
                    }
                    i += 1
                }
            case UInt8(ascii: ";"):
                flush(upTo: i)
                i += 1
                start = i
            default:
                i += 1
            }
        }
        if start < n { flush(upTo: n) }
        return statements
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || isDigit(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// True when the text holds nothing but whitespace and comments.
    private static func isBlank(_ text: String) -> Bool {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.firstRange(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                return rest.isEmpty
            }
        }
    }

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
