/// Text from a server or a user, made safe to print on a terminal: the one escaping that
/// every table cell and every one-line message goes through (keys, which are bytes, have
/// `KeyText` and `RedisCLIText` on top of the same rule).
///
/// A session's user agent, an org's name or a key an end user chose can hold ESC (colour,
/// cursor moves, an OSC that retitles the window or writes the clipboard), BEL, CR or LF (a
/// forged table row or log line). Those never reach the terminal raw: `\n` `\r` `\t` `\e`,
/// other ASCII controls as `\xNN`, C1 controls, line separators and the bidirectional
/// overrides (which reorder what is shown) as `\u{NNNN}`. Everything printable, any script,
/// is left as it is, and so is the backslash: escaping is idempotent, so a message escaped
/// where it is built and again where it is printed reads the same.
public enum TerminalText {
    /// Whether `scalar` must not reach a terminal as it is.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F, 0x80...0x9F: true
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true  // bidirectional controls
        default: false
        }
    }

    /// `text` with every scalar that `needsEscape` escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            append(scalar, to: &out)
        }
        return out
    }

    /// A value echoed in a one-line message: escaped, and cut to about `limit` characters
    /// with "…" so that a 130 KB argument does not come back whole.
    public static func echoed(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            count += 1
            append(scalar, to: &out)
        }
        return out
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        guard needsEscape(scalar) else {
            out.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{1B}": out += "\\e"
        default:
            let digits = String(scalar.value, radix: 16)
            if scalar.value < 0x80 {
                out += "\\x" + (digits.count < 2 ? "0" : "") + digits
            } else {
                out += "\\u{" + digits + "}"
            }
        }
    }
}
