import Testing
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
