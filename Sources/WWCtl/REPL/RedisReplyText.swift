import Redis
import Support

/// Replies as redis-cli prints them on a terminal: `OK`, `(integer) 1`, `(nil)`,
/// `"text"` with escapes, `(error) ERR …`, `(empty array)`, and numbered, indented arrays.
enum RedisReplyText {
    static func render(_ reply: RedisReply) -> String {
        render(reply, indent: "")
    }

    private static func render(_ reply: RedisReply, indent: String) -> String {
        switch reply {
        case .status(let text): return TerminalText.escaped(text) + "\n"
        case .error(let message): return "(error) " + TerminalText.escaped(message) + "\n"
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

    /// redis-cli's `sdscatrepr` (`RedisCLIText.quoted`).
    static func quoted(_ bytes: [UInt8]) -> String { RedisCLIText.quoted(bytes) }
}
