import Testing
@testable import WWCtl

@Suite struct ReplBuiltinTests {
    @Test func destructiveRedisCommandsAreConfirmed() {
        for words in [["FLUSHALL"], ["flushdb", "ASYNC"], ["KEYS", "*"], ["shutdown"], ["CONFIG", "set", "maxmemory", "1"], ["DEBUG", "SLEEP", "1"]] {
            #expect(ReplBuiltin.needsConfirmation(words), "\(words)")
        }
        for words in [["GET", "k"], ["CONFIG", "GET", "maxmemory"], ["SCAN", "0"], []] {
            #expect(!ReplBuiltin.needsConfirmation(words), "\(words)")
        }
    }

    @Test func commandsThatBreakTheConnectionAreRefused() {
        #expect(ReplBuiltin.refusal(["subscribe", "ch"]) != nil)
        #expect(ReplBuiltin.refusal(["MONITOR"]) != nil)
        #expect(ReplBuiltin.refusal(["SELECT", "2"]) != nil)
        #expect(ReplBuiltin.refusal(["HELLO", "3"]) != nil)
        #expect(ReplBuiltin.refusal(["client", "reply", "off"]) != nil)
        #expect(ReplBuiltin.refusal(["HELLO", "2"]) == nil)
        #expect(ReplBuiltin.refusal(["CLIENT", "LIST"]) == nil)
        #expect(ReplBuiltin.refusal(["GET", "k"]) == nil)
    }
}

@Suite struct DefaultFlagTests {
    let output = DefaultFlag(spellings: ["-o", "--output"], tokens: ["--output", "json"])
    var ping: CommandSpec { CommandCatalog.root.subcommand("ping")! }

    @Test func isAddedWhenTheCommandTakesItAndItIsMissing() {
        #expect(output.apply(to: ["ping"], command: ping) == ["ping", "--output", "json"])
        #expect(output.apply(to: ["ping", "--", "x"], command: ping) == ["ping", "--output", "json", "--", "x"])
    }

    @Test func isNotAddedWhenGivenInAnySpelling() {
        for words in [["ping", "-o", "table"], ["ping", "--output", "table"], ["ping", "--output=table"], ["ping", "-otable"]] {
            #expect(output.apply(to: words, command: ping) == words)
        }
    }

    @Test func isNotAddedToACommandWithoutIt() {
        // Every command takes the global options (groups too): the outline, without
        // arguments, stands for one that does not.
        let bare = CommandCatalog.commands.subcommand("config")!
        #expect(output.apply(to: ["config"], command: bare) == ["config"])
    }
}
