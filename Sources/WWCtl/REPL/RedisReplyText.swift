import Redis

/// Replies as redis-cli prints them on a terminal: `OK`, `(integer) 1`, `(nil)`,
/// `"text"` with escapes, `(error) ERR …`, `(empty array)`, and numbered, indented arrays.
enum RedisReplyText {
    static func render(_ reply: RedisReply) -> String {
        render(reply, indent: "")
    }

    private static func render(_ reply: RedisReply, indent: String) -> String {
        switch reply {
        case .status(let text): return text + "\n"
        case .error(let message): return "(error) " + message + "\n"
        case .integer(let value): return "(integer) \(value)\n"
        case .bulk(let bytes): return quoted(bytes) + "\n"
        case .null: return "(nil)\n"
        case .array(let elements):
            if elements.isEmpty { return "(empty array)\n" }
            let width = String(elements.count).count
            let nested = indent + String(repeating: " ", count: width + 2)
            var out = ""
            for (i, element) in elements.enumerated() {
                let index = String(i + 1)
                // The first element follows the index the caller already wrote.
                out += (i == 0 ? "" : indent) + String(repeating: " ", count: width - index.count) + index + ") "
                out += render(element, indent: nested)
            }
            return out
        }
    }

    /// redis-cli's `sdscatrepr`: printable ASCII as is, `\\` `\"` `\n` `\r` `\t` `\a` `\b`,
    /// every other byte as `\xHH`.
    static func quoted(_ bytes: [UInt8]) -> String {
        var out = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\""): out += "\\\""
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789abcdef")
                out += "\\x" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out + "\""
    }
}
