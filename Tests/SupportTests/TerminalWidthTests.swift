import Support
import Testing

/// Expected widths are those of the Python wcwidth package's `width()` (which the tables
/// come from) and of terminals that follow Unicode's emoji presentation (VTE, kitty, iTerm2).
@Suite struct TerminalWidthTests {
    @Test func asciiIsOneColumnACharacter() {
        #expect(TerminalWidth.of("") == 0)
        #expect(TerminalWidth.of("cart:42") == 7)
    }

    @Test func eastAsianWideAndFullwidthAreTwo() {
        #expect(TerminalWidth.of("日本") == 4)
        #expect(TerminalWidth.of("한국어") == 6)
        #expect(TerminalWidth.of("ＡＢ") == 4)  // fullwidth Latin
        #expect(TerminalWidth.of("ｱｲ") == 2)  // halfwidth katakana stays narrow
        // Hangul written as conjoining jamo: the leading consonant is wide, the vowel and
        // final consonant take no column.
        #expect(TerminalWidth.of("\u{1100}\u{1161}\u{11A8}") == 2)
    }

    @Test func emojiAreTwoColumns() {
        #expect(TerminalWidth.of("🛒🛒🛒 cart") == 11)
        #expect(TerminalWidth.of("👍🏽") == 2)  // with a skin-tone modifier: one cluster
    }

    @Test func zeroWidthJoinerSequencesAreOneCluster() {
        #expect(TerminalWidth.of("👨‍👩‍👧") == 2)
        #expect(TerminalWidth.of("🏳️‍🌈") == 2)  // white flag (narrow) + FE0F + ZWJ + rainbow
        #expect(TerminalWidth.of("❤️‍🔥x") == 3)
    }

    @Test func flagsAreOneClusterOfTwoColumns() {
        #expect(TerminalWidth.of("🇫🇷") == 2)
        #expect(TerminalWidth.of("🇯🇵🇩🇪") == 4)
    }

    @Test func variationSelector16MakesANarrowSymbolWide() {
        #expect(TerminalWidth.of("❤") == 1)
        #expect(TerminalWidth.of("❤️") == 2)
        #expect(TerminalWidth.of("1️⃣") == 2)  // keycap
    }

    @Test func combiningMarksTakeNoColumn() {
        #expect(TerminalWidth.of("e\u{301}") == 1)
        #expect(TerminalWidth.of("Zoe\u{308}") == 3)
        #expect(TerminalWidth.of("a\u{200B}b") == 2)  // zero width space
        #expect(TerminalWidth.of("\u{301}") == 0)  // a lone combining mark
        // Devanagari: the spacing vowel sign takes a column of its own, the virama none.
        #expect(TerminalWidth.of("नि") == 2)
        #expect(TerminalWidth.of("क्षि") == 2)
    }

    @Test func escapeSequencesTakeNoColumn() {
        #expect(TerminalWidth.of("\u{1B}[32mok\u{1B}[0m") == 2)
        #expect(TerminalWidth.of("\u{1B}[7m\u{1B}[31mprod\u{1B}[0m\u{1B}[0m") == 4)
        #expect(TerminalWidth.of("\u{1B}]8;;https://x.test\u{07}link\u{1B}]8;;\u{1B}\\") == 4)
        #expect(TerminalWidth.of("\u{1B}[1;38;5;208m日本\u{1B}[0m") == 4)
    }

    @Test func truncationCountsColumnsAndKeepsEscapes() {
        #expect(TerminalWidth.truncate("日本語テキスト", to: 5) == "日本…")
        #expect(TerminalWidth.truncate("🛒🛒🛒 cart", to: 6) == "🛒🛒…")
        #expect(TerminalWidth.truncate("👨‍👩‍👧👨‍👩‍👧x", to: 4) == "👨‍👩‍👧…")
        #expect(TerminalWidth.truncate("e\u{301}e\u{301}e\u{301}e\u{301}", to: 3) == "e\u{301}e\u{301}…")
        let red = "\u{1B}[31munavailable\u{1B}[0m"
        #expect(TerminalWidth.truncate(red, to: 5) == "\u{1B}[31mruna…\u{1B}[0m".replacing("runa", with: "unav"))
        #expect(TerminalWidth.truncate("short", to: 10) == "short")
    }

    @Test func paddingFillsToColumns() {
        #expect(TerminalWidth.padded("日本", to: 6) == "日本  ")
        #expect(TerminalWidth.padded("\u{1B}[32mok\u{1B}[0m", to: 4) == "\u{1B}[32mok\u{1B}[0m  ")
    }
}
