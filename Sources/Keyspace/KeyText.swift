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
