import Support

/// Keys and values as redis-cli writes and reads them, so binary keys survive the trip
/// from `cache keys` to `cache inspect` and `cache invalidate --exact -`.
///
/// - Writing: redis-cli's `sdscatrepr` — in double quotes; `\` and `"` behind a backslash;
///   `\n` `\r` `\t` `\a` `\b`; other bytes outside printable ASCII (0x20…0x7E) as `\xNN`
///   (lower-case hex), so UTF-8 text shows as its bytes (`caf\xc3\xa9`), as redis-cli
///   shows it.
/// - Reading: redis-cli's `sdssplitargs` for a double-quoted argument — `\xHH`, `\n` `\r`
///   `\t` `\b` `\a`, and a backslash before any other character stands for that character.
public enum RedisCLIText {
    private static let hex = Array("0123456789abcdef".utf8)

    /// The quoted form: `"bin:\xff\n"`.
    public static func quoted(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(bytes.count + 2)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""):
                out += [UInt8(ascii: "\\"), byte]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x07: out += [UInt8(ascii: "\\"), UInt8(ascii: "a")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x20...0x7E: out.append(byte)
            default: out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `quoted` would escape any byte (anything but printable ASCII other than `\` and `"`).
    public static func needsEscaping(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 || $0 > 0x7E || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }
    }

    /// A key as one line of text. On a terminal, exactly as `redis-cli --scan` shows it
    /// there (always quoted). Elsewhere the key itself when it needs no escaping, else the
    /// quoted form: every key takes one line, and a line that starts with `"` is always a
    /// quoted form.
    public static func line(_ bytes: [UInt8], terminal: Bool) -> String {
        if terminal || needsEscaping(bytes) { return quoted(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A key or value as a JSON string: itself when it is valid UTF-8 and does not look
    /// like a quoted form (JSON escapes control characters itself); else the quoted form,
    /// which `cache inspect` and `cache invalidate --exact` read back to the same bytes.
    public static func jsonString(_ bytes: [UInt8]) -> String {
        let looksQuoted = bytes.count >= 2 && bytes.first == UInt8(ascii: "\"") && bytes.last == UInt8(ascii: "\"")
        if !looksQuoted, let text = String(validating: bytes, as: UTF8.self) { return text }
        return quoted(bytes)
    }

    /// The bytes an operator means by `text`: a double-quoted form decoded with redis-cli's
    /// escapes (the closing quote must end the text), anything else as its UTF-8 bytes.
    public static func bytes(fromArgument text: String) -> [UInt8] {
        bytes(fromLine: Array(text.utf8)[...])
    }

    public static func bytes(fromLine line: ArraySlice<UInt8>) -> [UInt8] {
        unquoted(line) ?? Array(line)
    }

    /// The decoded bytes of a double-quoted form, or nil when `text` is not one.
    public static func unquoted(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count >= 2, text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = text.startIndex + 1
        let end = text.endIndex - 1
        while index < end {
            let byte = text[index]
            if byte == UInt8(ascii: "\\") {
                // Nothing before the closing quote: the backslash would escape it.
                guard let sequence = escape(text, at: index, end: end) else { return nil }
                out.append(sequence.byte)
                index += sequence.length
            } else if byte == UInt8(ascii: "\"") {
                return nil  // a quote before the end: not one quoted form
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// The byte a backslash at `index` stands for inside double quotes, as redis-cli reads
    /// it (`\xHH`, `\n`, `\r`, `\t`, `\b`, `\a`, else the next byte itself), and how many
    /// bytes the sequence takes; nil when nothing follows the backslash before `end`.
    private static func escape(_ bytes: ArraySlice<UInt8>, at index: Int, end: Int) -> (byte: UInt8, length: Int)? {
        guard index + 1 < end else { return nil }
        let next = bytes[index + 1]
        if next == UInt8(ascii: "x"), index + 3 < end, let high = hexDigitValue(bytes[index + 2]), let low = hexDigitValue(bytes[index + 3]) {
            return (high << 4 | low, 4)
        }
        switch next {
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "a"): return (0x07, 2)
        default: return (next, 2)
        }
    }

    /// The arguments of a line typed as at redis-cli's prompt (its `sdssplitargs`): blanks
    /// separate arguments; in `"…"` the escapes above (`\xHH`, `\n`, …); in `'…'` only `\'`;
    /// a closing quote must end its argument. nil when a quote is left open or closed
    /// mid-argument. The REPL's `redis` lines are read this way, so `redis GET "perm:\xff"`
    /// sends the byte 0xFF, as redis-cli would.
    public static func splitArguments(_ line: some Collection<UInt8>) -> [[UInt8]]? {
        let bytes = Array(line)
        var arguments: [[UInt8]] = []
        var index = 0
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while true {
            while index < bytes.count, isBlank(bytes[index]) { index += 1 }
            guard index < bytes.count else { return arguments }
            var current: [UInt8] = []
            var quote: UInt8?
            while true {
                guard index < bytes.count else {
                    if quote != nil { return nil }  // unterminated quotes
                    break
                }
                let byte = bytes[index]
                if let open = quote {
                    if byte == UInt8(ascii: "\\") {
                        let sequence: (byte: UInt8, length: Int)?
                        if open == UInt8(ascii: "\"") {
                            sequence = escape(bytes[...], at: index, end: bytes.count)
                        } else {
                            sequence = index + 1 < bytes.count && bytes[index + 1] == open ? (open, 2) : nil  // only \' in '…'
                        }
                        if let sequence {
                            current.append(sequence.byte)
                            index += sequence.length
                            continue
                        }
                    }
                    if byte == open {
                        // The closing quote must be followed by a blank or the end.
                        if index + 1 < bytes.count, !isBlank(bytes[index + 1]) { return nil }
                        index += 1
                        quote = nil
                        break
                    }
                    current.append(byte)
                    index += 1
                } else {
                    if isBlank(byte) { break }
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else {
                        current.append(byte)
                    }
                    index += 1
                }
            }
            arguments.append(current)
        }
    }
}
