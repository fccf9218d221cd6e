/// How many columns text takes on a terminal, measured on what is seen: ANSI escape
/// sequences (colours, OSC 8 links) take none, and each grapheme cluster (a Swift
/// `Character`) takes the width of its base: two for East Asian wide and fullwidth
/// characters and emoji (flags, ZWJ sequences such as 👨‍👩‍👧, an emoji made wide by
/// U+FE0F such as ❤️), none for a lone combining mark or format character, plus one per
/// spacing combining mark (Devanagari नि). The tables are generated from the Unicode data
/// by scripts/generate-width-tables.py.
public enum TerminalWidth {
    /// The columns `text` takes.
    public static func of(_ text: some StringProtocol) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var width = 0
        var escape = EscapeSkipper()
        for character in text {
            if escape.skips(character) { continue }
            width += of(character)
        }
        return width
    }

    /// The columns one grapheme cluster takes (an escape character: none).
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let value = first.value
        let rest = scalars.dropFirst()
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value < 0x7F, rest.isEmpty { return 1 }
        if (0x1F1E6...0x1F1FF).contains(value) { return 2 }  // a regional indicator: half a flag, drawn wide
        if contains(TerminalWidthTables.zeroWidth, value) { return 0 }
        if contains(TerminalWidthTables.wide, value) { return 2 }
        if rest.contains("\u{FE0F}"), contains(TerminalWidthTables.wideWithVariationSelector16, value) { return 2 }
        return 1 + spacingMarks(rest)
    }

    /// `text` cut to at most `width` columns, ending in "…" when it was cut. Escape
    /// sequences are kept (so a colour is still reset at its end).
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 1 else { return String(repeating: "…", count: max(0, width)) }
        var out = ""
        var used = 0
        var cut = false
        var escape = EscapeSkipper()
        for character in text {
            if escape.skips(character) {
                out.append(character)
                continue
            }
            if cut { continue }
            let columns = of(character)
            if used + columns > width - 1 {
                out.append("…")
                cut = true
                continue
            }
            out.append(character)
            used += columns
        }
        return out
    }

    /// `text` followed by spaces up to `width` columns.
    public static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }

    /// The spacing combining marks among `scalars` (none below U+0900).
    private static func spacingMarks(_ scalars: some Sequence<Unicode.Scalar>) -> Int {
        var count = 0
        for scalar in scalars where scalar.value >= 0x900 && contains(TerminalWidthTables.spacingMark, scalar.value) {
            count += 1
        }
        return count
    }

    /// Whether `value` lies in one of the flattened `[lower, upper, …]` ranges.
    static func contains(_ ranges: [UInt32], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count / 2 - 1
        while low <= high {
            let middle = (low + high) / 2
            if value < ranges[2 * middle] {
                high = middle - 1
            } else if value > ranges[2 * middle + 1] {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}

/// Recognises ANSI escape sequences one character at a time: CSI (`ESC [ … final`, colours
/// and cursor moves), OSC (`ESC ] … BEL` or `ESC ] … ESC \`, links and titles), and
/// two-character escapes.
private struct EscapeSkipper {
    private enum State { case text, escape, csi, osc, oscEscape }
    private var state = State.text

    /// Whether `character` belongs to an escape sequence.
    mutating func skips(_ character: Character) -> Bool {
        switch state {
        case .text:
            guard character == "\u{1B}" else { return false }
            state = .escape
        case .escape:
            state = character == "[" ? .csi : (character == "]" ? .osc : .text)
        case .csi:
            // Parameters and intermediates are 0x20…0x3F; a final byte 0x40…0x7E ends it.
            if let scalar = character.unicodeScalars.first, (0x40...0x7E).contains(scalar.value) { state = .text }
        case .osc:
            if character == "\u{07}" { state = .text } else if character == "\u{1B}" { state = .oscEscape }
        case .oscEscape:
            state = character == "\\" ? .text : .osc
        }
        return true
    }
}
