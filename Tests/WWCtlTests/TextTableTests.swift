import Support
import Testing
import Support
@testable import WWCtl

@Suite struct TextTableTests {
    @Test func alignsColumnsAndNumbersRight() {
        var table = TextTable([.init("NAME"), .init("KEYS", .right)])
        table.append("perm", "1000000")
        table.append("org", "7")
        #expect(table.render(width: nil) == "NAME     KEYS\nperm  1000000\norg         7\n")
    }

    @Test func truncatesTheWidestColumnOnNarrowTerminals() {
        var table = TextTable([.init("KEY"), .init("TTL", .right, truncatable: false)])
        table.append(String(repeating: "k", count: 60), "300")
        let text = table.render(width: 30)
        for line in text.split(separator: "\n") { #expect(displayWidth(String(line)) <= 30) }
        #expect(text.contains("…"))
        #expect(text.contains("300"))
    }

    @Test func neverTruncatesWithoutAWidth() {
        var table = TextTable("KEY")
        let long = String(repeating: "x", count: 500)
        table.append(long)
        #expect(table.render(width: nil).contains(long))
    }

    @Test func measuresWideCharacters() {
        #expect(displayWidth("abc") == 3)
        #expect(displayWidth("日本") == 4)
        #expect(truncate("日本語テキスト", to: 5) == "日本…")
    }

    @Test func escapesControlCharactersInEveryCell() {
        var table = TextTable([.init("NAME"), .init("AGENT")])
        table.append("evil\nforged  row", "\u{1B}]0;pwned\u{07}\u{1B}[2J\rX")
        let text = table.render(width: nil)
        #expect(text.split(separator: "\n").count == 2)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(text.contains("evil\\nforged  row"))
        #expect(text.contains("\\e]0;pwned\\x07\\e[2J\\rX"))
    }

    @Test func paintsAColouredCellAfterEscapingAndPaddingIt() {
        let style = Style(enabled: true)
        var table = TextTable([.init("STATE"), .init("N", .right)])
        table.append(cells: [.init("bad\u{1B}[8m", paint: style.red), .init("1")])
        table.append(cells: [.init("ok"), .init("22")])
        let lines = table.render(width: nil).split(separator: "\n").map(String.init)
        #expect(lines[1] == "\u{1B}[31mbad\\e[8m\u{1B}[0m   1")
        #expect(lines[2] == "ok        22")
    }
}

@Suite struct TerminalTextTests {
    @Test func escapesControlsAndLeavesPrintableTextAlone() {
        #expect(TerminalText.escaped("Café 日本 \\ ok") == "Café 日本 \\ ok")
        #expect(TerminalText.escaped("a\u{07}b\u{7F}c\u{85}d\u{202E}e\tf") == "a\\x07b\\x7fc\\u{85}d\\u{202e}e\\tf")
    }

    @Test func escapingTwiceChangesNothing() {
        let once = TerminalText.escaped("\u{1B}[31m\n\\x07")
        #expect(TerminalText.escaped(once) == once)
    }

    @Test func echoedValuesAreCutToEightyCharacters() {
        let echoed = TerminalText.echoed(String(repeating: "x", count: 130_000))
        #expect(echoed == String(repeating: "x", count: 80) + "…")
        #expect(TerminalText.echoed("short\n") == "short\\n")
    }

    @Test func aRenderingKeepsItsLinesAndOnlyItsOwnStyles() {
        let text = "a\u{1B}[31mred\u{1B}[0m\nb\u{1B}]0;t\u{07}\r\n"
        #expect(TerminalText.escapedKeepingLines(text, keepingStyles: true) == "a\u{1B}[31mred\u{1B}[0m\nb\\e]0;t\\x07\\r\n")
        #expect(TerminalText.escapedKeepingLines(text, keepingStyles: false) == "a\\e[31mred\\e[0m\nb\\e]0;t\\x07\\r\n")
    }

    @Test func longWordsOfAMessageAreCut() {
        let message = "no org '" + String(repeating: "x", count: 130_000) + "' (see 'wwctl orgs --help')"
        let short = TerminalText.shortened(message)
        #expect(short == "no org '" + String(repeating: "x", count: 79) + "…' (see 'wwctl orgs --help')")
        #expect(TerminalText.shortened("short message") == "short message")
        #expect(TerminalText.shortened(String(repeating: "ab ", count: 1000)).count <= 1001)
    }
}

/// Columns line up on what the terminal shows: colours, emoji, CJK, flags, ZWJ sequences
/// and combining accents.
@Suite struct TextTableWidthTests {
    /// The column at which `needle` starts on each line, counted in terminal columns.
    private func columns(of needle: String, in text: String) -> [Int] {
        text.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: needle) else { return nil }
            return TerminalWidth.of(line[..<range.lowerBound])
        }
    }

    @Test func coloredCellsDoNotWidenTheirColumn() {
        let style = Style(enabled: true)
        var table = TextTable([.init("SERVER"), .init("STATUS"), .init("END")])
        // Colour is painted on the escaped text, as views do (`Cell(_:paint:)`).
        table.append(cells: [.init("redis"), .init("ok", paint: { style.green($0) }), .init("|")])
        table.append(cells: [.init("postgres"), .init("unavailable", paint: { style.red($0) }), .init("|")])
        let text = table.render(width: nil, style: style)
        #expect(Set(columns(of: "|", in: text)).count == 1)
        #expect(columns(of: "|", in: text).first == "postgres  unavailable  ".count)
    }

    @Test func wideAndCombiningTextAlign() {
        var table = TextTable([.init("NAME"), .init("END")])
        for name in ["🛒🛒🛒 cart", "日本の店", "🇫🇷 Paris", "👨‍👩‍👧 family", "Cafe\u{301} Zoe\u{308}", "plain"] {
            table.append(name, "|")
        }
        let text = table.render(width: nil)
        let ends = columns(of: "|", in: text)
        #expect(ends.count == 6)
        #expect(Set(ends) == [TerminalWidth.of("🛒🛒🛒 cart  ")])
    }

    @Test func truncationOnANarrowTerminalStaysInsideTheWidth() {
        var table = TextTable([.init("NAME"), .init("N", .right, truncatable: false)])
        table.append(String(repeating: "🛒", count: 30), "1")
        table.append(String(repeating: "日", count: 30), "2")
        for line in table.render(width: 30).split(separator: "\n") {
            #expect(TerminalWidth.of(line) <= 30)
        }
    }
}
