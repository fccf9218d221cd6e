import Testing
@testable import WWCtl

@Suite struct UsageHintTests {
    @Test func namesTheNegativeNumberInsteadOfAMissingArgument() {
        #expect(UsageHint.negativeNumber(["products", "set-price", "17", "-3"], parserMessage: "Missing expected argument '<price>'")
            == "'-3' is negative: ids, prices, amounts, quantities and limits never are")
        #expect(UsageHint.negativeNumber(["orgs", "list", "--limit", "-1.5"], parserMessage: "Missing value for '--limit <n>'")?
            .hasPrefix("'-1.5' is negative") == true)
    }

    @Test func leavesOtherMistakesToTheParser() {
        #expect(UsageHint.negativeNumber(["orgs", "show"], parserMessage: "Missing expected argument '<org>'") == nil)
        #expect(UsageHint.negativeNumber(["orgs", "show", "-x"], parserMessage: "Unknown option '-x'") == nil)
        #expect(UsageHint.negativeNumber(["orgs", "show", "-3"], parserMessage: "The value '7x' is invalid") == nil)
    }

    /// The words of a line refused by the parser, from its command on: the messages about
    /// an unknown or missing command name the command, not a global option before it.
    @Test func globalOptionsBeforeTheCommandAreSkipped() {
        #expect(CommandCatalog.afterGlobalOptions(["--profile", "prod", "-q", "--output=json", "cahce", "warm"]) == ["cahce", "warm"])
        #expect(CommandCatalog.afterGlobalOptions(["cache", "--profile", "prod"]) == ["cache", "--profile", "prod"])
        #expect(CommandCatalog.afterGlobalOptions(["--bogus", "cache"]) == ["--bogus", "cache"])
        #expect(CommandCatalog.afterGlobalOptions(["--profile"]) == [])
        #expect(UnknownCommand(["--profile", "prod", "cahce", "warm"])?.message == "unknown command 'cahce'; did you mean 'cache'?")
    }

    /// The spellings `afterGlobalOptions` knows are the root command's global options.
    @Test func globalOptionSpellingsMatchTheDeclarations() throws {
        let root = try CommandCatalog.load()
        let declared = root.arguments.filter { !["--help", "--version"].contains($0.spellings.last ?? "") }
        #expect(Set(declared.filter { $0.kind == .option }.flatMap(\.spellings)) == GlobalOptions.valuedSpellings)
        #expect(Set(declared.filter { $0.kind == .flag }.flatMap(\.spellings)) == GlobalOptions.flagSpellings)
    }
}
