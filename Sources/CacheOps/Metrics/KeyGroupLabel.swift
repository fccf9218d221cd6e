/// How keys of no family are grouped for `metrics --by-family`: by their first segment,
/// or their first two when the second is a name rather than an id, so `tmp:42` and
/// `tmp:43` make `tmp:*` while `feature:flags:beta` makes `feature:flags:*`.
public enum KeyGroupLabel {
    /// The group past `FamilyMetrics.maxOtherGroups` distinct groups.
    public static let overflow = "(other groups)"

    /// The group of `key`, its bytes shown escaped (`KeyText`). A key under the app's
    /// prefix is grouped after the prefix, with the prefix kept in the label.
    public static func label(for key: [UInt8], prefix: String) -> String {
        let prefixBytes = Array(prefix.utf8)
        let hasPrefix = !prefixBytes.isEmpty && key.count >= prefixBytes.count && key[..<prefixBytes.count].elementsEqual(prefixBytes)
        let body = hasPrefix ? key[prefixBytes.count...] : key[...]
        let head = hasPrefix ? prefix : ""
        let colon = UInt8(ascii: ":")
        let segments = body.split(separator: colon, maxSplits: 2, omittingEmptySubsequences: false)
        guard segments.count >= 2 else {
            // No separator at all: the key is its own group, shortened.
            return head + KeyText.escaped(Array(body.prefix(40))) + (body.count > 40 ? "…" : "")
        }
        let first = KeyText.escaped(Array(segments[0].prefix(40)))
        if segments.count == 3, !looksLikeID(segments[1]), !segments[1].isEmpty {
            return head + first + ":" + KeyText.escaped(Array(segments[1].prefix(40))) + ":*"
        }
        return head + first + ":*"
    }

    /// Digits, or something long that mixes digits in (a UUID, a hash, a token).
    static func looksLikeID(_ segment: some Collection<UInt8>) -> Bool {
        var digits = 0
        for byte in segment where byte >= 0x30 && byte <= 0x39 { digits += 1 }
        if !segment.isEmpty && digits == segment.count { return true }
        return segment.count >= 8 && digits > 0
    }
}

/// Keys for people: printable UTF-8 as is, anything else as redis-cli shows it (`\xNN`),
/// and the backslash doubled so the text reads back unambiguously.
public enum KeyText {
    public static func escaped(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self),
           !text.unicodeScalars.contains(where: { needsEscape($0) }) {
            return text
        }
        var out = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
                default: out += hex(byte)
                }
                index += 1
                continue
            }
            // A multi-byte UTF-8 sequence, when valid and printable, stays as is.
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if length > 1, index + length <= bytes.count,
               let scalar = String(validating: bytes[index..<index + length], as: UTF8.self)?.unicodeScalars.first,
               !needsEscape(scalar) {
                out.unicodeScalars.append(scalar)
                index += length
                continue
            }
            out += hex(byte)
            index += 1
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == "\\"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
