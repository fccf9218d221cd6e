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

    @Test func rewritesOptionsWrittenBeforeTheCommand() {
        let message = UsageHint.optionsBeforeCommand(
            ["--profile", "prod", "cache", "invalidate", "perm:7:*", "--yes"], parserMessage: "Unknown option '--profile'")
        #expect(message == "Unknown option '--profile': options go after the command, as in: wwctl cache invalidate 'perm:7:*' --yes --profile prod")
    }

    @Test func saysNothingWhenTheOptionIsReallyUnknown() {
        #expect(UsageHint.optionsBeforeCommand(["ping", "--bogus"], parserMessage: "Unknown option '--bogus'") == nil)
        #expect(UsageHint.optionsBeforeCommand(["--bogus"], parserMessage: "Unknown option '--bogus'") == nil)
        #expect(UsageHint.optionsBeforeCommand(["--profile", "prod", "cache"], parserMessage: "Missing expected argument") == nil)
    }
}
