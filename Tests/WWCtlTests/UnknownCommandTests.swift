import Testing
@testable import WWCtl

@Suite struct UnknownCommandTests {
    @Test func suggestsTheNearestCommandAtEachLevel() throws {
        let top = try #require(UnknownCommand(["pnig"]))
        #expect(top.message == "unknown command 'pnig'; did you mean 'ping'?")
        let nested = try #require(UnknownCommand(["cache", "familes", "-o", "json"]))
        #expect(nested.path == ["cache"])
        #expect(nested.message == "unknown command 'cache familes'; did you mean 'cache families'?")
        #expect(UnknownCommand(["orgs", "set-rol"])?.suggestion == "set-role")
    }

    @Test func offersNothingFarFetched() throws {
        let far = try #require(UnknownCommand(["zzzzzz"]))
        #expect(far.suggestion == nil)
        #expect(far.message == "unknown command 'zzzzzz'")
    }

    @Test func leavesKnownCommandsAndTheirArgumentsAlone() {
        #expect(UnknownCommand(["ping", "extra"]) == nil)
        #expect(UnknownCommand(["orgs", "show", "7"]) == nil)
        #expect(UnknownCommand(["help", "cache"]) == nil)
        #expect(UnknownCommand(["--redis-url", "x", "ping"]) == nil)
    }
}

@Suite struct MissingSubcommandTests {
    @Test func aGroupNamedAloneListsItsCommands() throws {
        let command = try RootCommand.parseAsRoot(["perms"])
        let missing = try #require(MissingSubcommand(command, arguments: ["perms"]))
        #expect(missing.path == ["perms"])
        #expect(missing.names == ["check", "list", "roles", "grant", "revoke", "audit"])
    }

    @Test func leafCommandsAndTheBareToolAreNotMissingAnything() throws {
        #expect(MissingSubcommand(try RootCommand.parseAsRoot(["cache", "families"]), arguments: ["cache", "families"]) == nil)
        #expect(MissingSubcommand(try RootCommand.parseAsRoot([]), arguments: []) == nil)
    }
}
