import Testing
@testable import WWCtl

@Suite struct ShellWordsTests {
    @Test func blanksSeparateWords() throws {
        #expect(try ShellWords.split("  cache   keys\t'user:*' ") == ["cache", "keys", "user:*"])
        #expect(try ShellWords.split("") == [])
    }

    @Test func singleQuotesAreLiteral() throws {
        #expect(try ShellWords.split(#"redis SET 'a b' 'c\d"e'"#) == ["redis", "SET", "a b", #"c\d"e"#])
    }

    @Test func doubleQuotesTakeOnlyBackslashQuoteAndBackslashBackslash() throws {
        #expect(try ShellWords.split(#""a \"b\" \\ \n c""#) == [#"a "b" \ \n c"#])
    }

    @Test func aBackslashOutsideQuotesMakesTheNextCharacterLiteral() throws {
        #expect(try ShellWords.split(#"key\ with\ spaces \'q"#) == ["key with spaces", "'q"])
    }

    @Test func quotedPartsJoinOneWordAndEmptyQuotesAreAnEmptyWord() throws {
        #expect(try ShellWords.split(#"a'b'"c"d '' """#) == ["abcd", "", ""])
    }

    @Test func noExpansionHappens() throws {
        #expect(try ShellWords.split("cache keys $HOME ~ *") == ["cache", "keys", "$HOME", "~", "*"])
    }

    @Test func unterminatedQuotesAndDanglingBackslashesAreErrors() {
        #expect(throws: ShellWords.SplitError.unterminatedQuote(.single)) { try ShellWords.split("redis GET 'abc") }
        #expect(throws: ShellWords.SplitError.unterminatedQuote(.double)) { try ShellWords.split(#"x "y"#) }
        #expect(throws: ShellWords.SplitError.danglingBackslash) { try ShellWords.split(#"ping \"#) }
    }

    @Test func aTrailingBackslashContinuesTheLineUnlessQuotedOrEscaped() {
        #expect(ShellWords.continues(#"config \"#))
        #expect(!ShellWords.continues(#"config \\"#))
        #expect(!ShellWords.continues(#"config '\"#))
        #expect(!ShellWords.continues("config"))
    }

    @Test func partialReportsTheWordUnderTheCursorAndItsQuote() {
        #expect(ShellWords.partial("cache inspect ") == .init(words: ["cache", "inspect"], current: "", quote: nil, pendingBackslash: false))
        #expect(ShellWords.partial("redis GET 'a b") == .init(words: ["redis", "GET"], current: "a b", quote: .single, pendingBackslash: false))
        #expect(ShellWords.partial(#"x "c\"d"#) == .init(words: ["x"], current: #"c"d"#, quote: .double, pendingBackslash: false))
        #expect(ShellWords.partial(#"x a\"#).pendingBackslash)
    }

    /// What completion inserts must read back as the value it completes, in every quote state.
    @Test(arguments: [#"plain"#, #"with space"#, #"it's"#, #"a "quoted" \ back"#, "tab\there"])
    func escapedTextReadsBackAsItself(value: String) throws {
        #expect(try ShellWords.split("x " + ShellWords.escape(value, in: nil)) == ["x", value])
        #expect(try ShellWords.split("x '" + ShellWords.escape(value, in: .single) + "'") == ["x", value])
        #expect(try ShellWords.split("x \"" + ShellWords.escape(value, in: .double) + "\"") == ["x", value])
        #expect(try ShellWords.split("x " + ShellWords.quoted(value)) == ["x", value])
    }

    @Test func quotedLeavesPlainWordsBare() {
        #expect(ShellWords.quoted("ping") == "ping")
        #expect(ShellWords.quoted("a b") == "'a b'")
        #expect(ShellWords.quoted("") == "''")
    }
}
