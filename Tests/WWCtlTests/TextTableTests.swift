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
        table.append("redis", style.green("ok"), "|")
        table.append("postgres", style.red("unavailable"), "|")
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
