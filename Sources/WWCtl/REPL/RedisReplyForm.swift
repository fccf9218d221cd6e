import Redis
import Support

/// How the REPL's `redis` prints a reply: as redis-cli prints it on a terminal (`quoted`);
/// a verbatim report (INFO, CLIENT LIST, LATENCY DOCTOR…) as its plain lines (`lines`), as
/// redis-cli prints those; or as JSON (`-o json`, where a bulk string is one JSON string).
enum RedisReplyForm: Equatable {
    case quoted
    case lines
    case json(compact: Bool)

    /// The commands whose bulk reply is a report for people, printed as lines: redis-cli's
    /// own list (it turns raw output on for them), which RESP3 marks as verbatim strings.
    static func printsReport(_ words: [String]) -> Bool {
        guard let name = words.first?.lowercased() else { return false }
        let sub = words.count > 1 ? words[1].lowercased() : ""
        switch name {
        case "info", "lolwut": return true
        case "memory": return ["doctor", "malloc-stats"].contains(sub)
        case "client": return ["list", "info"].contains(sub)
        case "latency": return ["doctor", "graph"].contains(sub)
        case "cluster": return words.count == 2 && ["nodes", "info"].contains(sub)
        case "debug": return sub == "htstats" || sub == "htstats-key"
        case "proxy": return sub == "info"
        default: return false
        }
    }

    /// The reply in this form, ending in a newline.
    func render(_ reply: RedisReply) -> String {
        switch self {
        case .quoted:
            return RedisReplyText.render(reply)
        case .lines:
            guard case .bulk(let bytes) = reply else { return RedisReplyText.render(reply) }
            return Self.lines(bytes)
        case .json(let compact):
            let value = Self.json(reply)
            return (compact ? value.compactText : value.prettyText) + "\n"
        }
    }

    /// A report's lines, `\r\n` or `\n` ended, each printed with its control characters
    /// escaped (a report can quote what clients sent: names, commands).
    static func lines(_ bytes: [UInt8]) -> String {
        var out = ""
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var line = line
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            out += escapedControls(line) + "\n"
        }
        // The report's own last line break does not make an empty line.
        if bytes.last == UInt8(ascii: "\n") { out.removeLast() }
        return out
    }

    private static func escapedControls(_ line: ArraySlice<UInt8>) -> String {
        let text = String(decoding: line, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A reply as JSON: a bulk string as a JSON string (its quoted form when it is not
    /// UTF-8), a status as a string, an error as `{"error": …}`, nil as null.
    static func json(_ reply: RedisReply) -> JSONValue {
        switch reply {
        case .status(let text): .string(text)
        case .error(let message): .object([("error", .string(message))])
        case .integer(let value): .number(value)
        case .bulk(let bytes): .string(RedisCLIText.jsonString(bytes))
        case .null: .null
        case .array(let elements): .array(elements.map(json))
        }
    }
}
