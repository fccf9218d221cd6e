import Testing
@testable import WWCtl

@Suite struct CommandCatalogTests {
    /// The tree comes from RootCommand itself: every registered command is in it, with
    /// its options, and a command added to RootCommand needs nothing more.
    @Test func theRootTreeHoldsTheRegisteredCommands() throws {
        let root = CommandCatalog.root
        #expect(root.name == "wwctl")
        #expect(Set(root.subcommands.map(\.name)).isSuperset(of: ["ping", "config", "repl"]))
        #expect(root.subcommand("help") == nil)
        let show = try #require(root.subcommand("config")?.subcommand("show"))
        let output = try #require(show.option(spelled: "-o"))
        #expect(output.kind == .option)
        #expect(output.spellings == ["-o", "--output"])
        #expect(output.allValues == ["table", "json", "ndjson", "prometheus"])
        #expect(show.option(spelled: "--yes")?.kind == .flag)
        #expect(show.option(spelled: "--profile")?.lookupNames == ["profile", "name"])
    }

    @Test func resolveFollowsSubcommandNames() {
        let (path, consumed) = CommandCatalog.resolve(["config", "show", "--yes"])
        #expect(path.map(\.name) == ["wwctl", "config", "show"])
        #expect(consumed == 2)
        #expect(CommandCatalog.resolve(["nope"]).consumed == 0)
    }

    @Test func declaredCompletionsAreRead() throws {
        let json = """
            {"serializationVersion": 0, "command": {"commandName": "t", "subcommands": [
              {"commandName": "s", "aliases": ["x"], "arguments": [
                {"kind": "positional", "shouldDisplay": true, "isOptional": false, "isRepeating": true,
                 "parsingStrategy": "default", "valueName": "family", "preferredName": {"kind": "long", "name": "families"},
                 "completionKind": {"list": {"values": ["a", "b"]}}},
                {"kind": "option", "shouldDisplay": true, "isOptional": true, "isRepeating": false,
                 "parsingStrategy": "default", "names": [{"kind": "long", "name": "org"}], "valueName": "org",
                 "completionKind": {"custom": {}}},
                {"kind": "option", "shouldDisplay": false, "isOptional": true, "isRepeating": false,
                 "parsingStrategy": "default", "names": [{"kind": "long", "name": "file"}], "completionKind": {"file": {"extensions": []}}}
              ]},
              {"commandName": "help", "arguments": []}
            ]}}
            """
        let root = try CommandCatalog.decode(json)
        #expect(root.subcommands.map(\.name) == ["s"])
        let s = try #require(root.subcommand("x"))
        #expect(s.arguments[0] == ArgumentSpec(
            kind: .positional, preferredName: "families", valueName: "family", isRepeating: true, completion: .list(["a", "b"])))
        #expect(s.arguments[0].lookupNames == ["family", "families"])
        #expect(s.arguments[1].completion == .custom)
        #expect(s.arguments[2].completion == .other)
        #expect(!s.arguments[2].shouldDisplay)
    }
}
