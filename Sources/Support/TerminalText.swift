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

    /// A whole rendering (a view's text, a diagnostic) made safe as a last line of defence:
    /// every control character escaped but the line breaks between lines, and, when
    /// `keepingStyles` (colour is on), the SGR sequences (`ESC [ 1 ; 31 m`) that wwctl's own
    /// styles write. Values that could hold a line break are escaped where they are put in
    /// the text (`escaped`), so that a newline in a name cannot forge a line.
    public static func escapedKeepingLines(_ text: String, keepingStyles: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && $0 != "\n" }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" || !needsEscape(scalar) {
                out.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            if keepingStyles, scalar == "\u{1B}", let end = sgrEnd(scalars, from: index) {
                out.unicodeScalars.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            append(scalar, to: &out)
            index += 1
        }
        return out
    }

    /// The index of the `m` that ends an SGR sequence starting at `start` (`ESC [`, digits
    /// and semicolons, `m`), or nil.
    private static func sgrEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var index = start + 2
        while index < scalars.count, index - start <= 16 {
            let scalar = scalars[index]
            if scalar == "m" { return index }
            guard ("0"..."9").contains(scalar) || scalar == ";" else { return nil }
            index += 1
        }
        return nil
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

    /// A one-line message with every echoed value cut to about `limit` characters: a word
    /// (a run without blanks, as an argument usually is) longer than that keeps its start and
    /// "…" (and its closing quote), and the whole message is kept under `total` characters.
    /// Applied where messages are reported, so that an argument echoed whole by any layer,
    /// or by the argument parser, does not come back as 130 KB.
    public static func shortened(_ message: String, limit: Int = 80, total: Int = 1000) -> String {
        guard message.count > limit else { return message }
        var out = ""
        var word = ""
        func flush() {
            if word.count > limit {
                let quote = word.last == "'" || word.last == "\"" ? String(word.last!) : ""
                out += word.prefix(limit) + "…" + quote
            } else {
                out += word
            }
            word = ""
        }
        for character in message {
            if character == " " || character == "\t" {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out.count > total ? out.prefix(total) + "…" : out
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
