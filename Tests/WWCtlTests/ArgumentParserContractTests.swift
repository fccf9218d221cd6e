import ArgumentParser
import Keyspace
import Testing
@testable import WWCtl

/// swift-argument-parser is pinned to one version (Package.swift) because wwctl relies on
/// two of its interfaces that are not public API: `_dumpHelp()`, the JSON tree the REPL
/// completes from, and the `---completion` protocol it runs custom completions through.
/// These tests fail, naming what differs, when a new version changes either.
@Suite struct ArgumentParserContractTests {
    /// Every command names itself, so the outline read from public configuration (what
    /// usage errors walk) never depends on names ArgumentParser derives from type names.
    @Test func everyCommandSetsItsName() {
        func unnamed(_ command: any ParsableCommand.Type) -> [String] {
            let configuration = command.configuration
            let own = configuration.commandName == nil ? [String(describing: command)] : []
            return own + configuration.subcommands.flatMap(unnamed)
        }
        #expect(unnamed(RootCommand.self) == [])
    }

    /// `_dumpHelp()` decodes, and describes the same tree as the public configuration:
    /// names, aliases, abstracts, visibility and the order of subcommands.
    @Test func theDumpedTreeIsTheConfiguredTree() throws {
        let dumped = try CommandCatalog.load()
        let differences = Self.differences(dumped, CommandCatalog.commands, path: "wwctl")
        #expect(differences == [], "\(differences.joined(separator: "\n"))")
    }

    /// The dump carries what the REPL completes from: each command's options with their
    /// spellings and value lists, flags, positionals, and which ones complete themselves.
    @Test func theDumpedTreeDescribesArguments() throws {
        let root = try CommandCatalog.load()
        var leaves: [(String, CommandSpec)] = []
        func collect(_ spec: CommandSpec, _ path: String) {
            if spec.subcommands.isEmpty { leaves.append((path, spec)) }
            for sub in spec.subcommands { collect(sub, path + " " + sub.name) }
        }
        for sub in root.subcommands { collect(sub, sub.name) }
        #expect(leaves.count > 40)
        for (path, leaf) in leaves {
            let output = leaf.option(spelled: "--output")
            #expect(output?.kind == .option, "\(path): no --output")
            #expect(output?.spellings == ["-o", "--output"], "\(path)")
            #expect(output?.allValues == ["table", "json", "ndjson", "prometheus"], "\(path)")
            #expect(leaf.option(spelled: "--yes")?.kind == .flag, "\(path): no --yes")
        }
        let keys = try #require(CommandCatalog.resolve(["cache", "keys"], in: root).path.last)
        #expect(keys.name == "keys")
        #expect(keys.option(spelled: "--family")?.completion == .custom)
        #expect(keys.option(spelled: "--limit")?.valueName == "n")
        #expect(keys.positionals.map(\.valueName) == ["pattern"])
        let grant = try #require(CommandCatalog.resolve(["perms", "grant"], in: root).path.last)
        #expect(grant.positionals.first?.completion == .custom)
    }

    /// Custom completions answer through `---completion`, options and positionals alike.
    @Test func customCompletionsAnswerThroughTheCompletionProtocol() {
        let families = Repl.argumentParserCompletion(["cache", "keys"], "--family", ["--family", "pro"], 1, "pro")
        #expect(Set(families).isSuperset(of: ["product", "product-variants", "perm"]))
        let roles = Repl.argumentParserCompletion(["perms", "grant"], "positional@0", [""], 0, "")
        #expect(roles == ShellCompletions.roleNames)
    }

    /// Where `a` (the dump) and `b` (the outline) disagree, one line each.
    static func differences(_ a: CommandSpec, _ b: CommandSpec, path: String) -> [String] {
        var found: [String] = []
        if a.name != b.name { found.append("\(path): named \(a.name) in the dump, \(b.name) configured") }
        if a.aliases != b.aliases { found.append("\(path): aliases \(a.aliases) in the dump, \(b.aliases) configured") }
        if a.abstract != b.abstract { found.append("\(path): abstract differs") }
        if a.shouldDisplay != b.shouldDisplay { found.append("\(path): shown \(a.shouldDisplay) in the dump") }
        let dumped = a.subcommands.map(\.name), configured = b.subcommands.map(\.name)
        guard dumped == configured else {
            return found + ["\(path): subcommands \(dumped) in the dump, \(configured) configured"]
        }
        for (x, y) in zip(a.subcommands, b.subcommands) {
            found += differences(x, y, path: path + " " + x.name)
        }
        return found
    }
}
