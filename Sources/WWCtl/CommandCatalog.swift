import ArgumentParser
import FoundationEssentials

/// The command tree as ArgumentParser knows it: every subcommand, option, flag and
/// positional argument, with value names and any value list or custom completion a
/// command declared. Read from ArgumentParser's own tool description
/// (`--experimental-dump-help`, the `ToolInfoV0` JSON), computed in-process, so a command
/// group added to `RootCommand` is completable in the REPL, and named in usage errors,
/// without any list kept here.
struct CommandSpec: Sendable, Equatable {
    var name: String
    var aliases: [String] = []
    var abstract: String = ""
    var shouldDisplay = true
    var subcommands: [CommandSpec] = []
    var arguments: [ArgumentSpec] = []

    /// The subcommand called `word` (by name or alias).
    func subcommand(_ word: String) -> CommandSpec? {
        subcommands.first { $0.name == word || $0.aliases.contains(word) }
    }

    var positionals: [ArgumentSpec] { arguments.filter { $0.kind == .positional } }

    /// The option or flag spelled `word` (`--name`, `-n`).
    func option(spelled word: String) -> ArgumentSpec? {
        arguments.first { $0.kind != .positional && $0.spellings.contains(word) }
    }
}

struct ArgumentSpec: Sendable, Equatable {
    enum Kind: String, Sendable, Decodable { case positional, option, flag }

    enum Completion: Sendable, Equatable {
        case none
        case list([String])
        case custom
        case customAsync
        /// File, directory or shell-command completion: meaningless inside the REPL.
        case other
    }

    var kind: Kind
    /// `--name`, `-n` (options and flags); empty for positionals.
    var spellings: [String] = []
    /// The preferred name without dashes (a positional's property name).
    var preferredName: String?
    var valueName: String?
    var isRepeating = false
    var shouldDisplay = true
    var allValues: [String] = []
    var completion: Completion = .none

    /// The names a completion source is looked up by: long names, the value name and
    /// the preferred name, lower-cased (`--family F` → family, f; `KEY` → key).
    var lookupNames: [String] {
        var names = spellings.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) }
        if let valueName { names.append(valueName) }
        if let preferredName { names.append(preferredName) }
        var seen = Set<String>()
        return names.map { $0.lowercased() }.filter { seen.insert($0).inserted }
    }
}

/// The one walk of the command tree: the REPL's completion and dispatch, and the usage
/// errors (`unknown command`, a group named without a command, the `--help` hint) all
/// resolve command words here.
enum CommandCatalog {
    /// The tree of `RootCommand`, without ArgumentParser's `help` subcommand (the REPL has
    /// its own). Built on first use.
    static let root: CommandSpec = (try? load()) ?? commands

    /// The same tree without the arguments, from each command's public configuration (every
    /// command sets its `commandName`). Usage errors walk this one: it costs microseconds,
    /// where describing every argument of every command costs a debug build 0.4 s.
    static let commands: CommandSpec = outline(RootCommand.self)

    static func outline(_ command: any ParsableCommand.Type) -> CommandSpec {
        let configuration = command.configuration
        return CommandSpec(
            name: configuration.commandName ?? "", aliases: configuration.aliases, abstract: configuration.abstract,
            shouldDisplay: configuration.shouldDisplay, subcommands: configuration.subcommands.map(outline))
    }

    /// ArgumentParser has no public API that lists a command's arguments: `_dumpHelp()`
    /// (like `--experimental-dump-help`, which its generate-manual plugin reads) is
    /// underscored and may change in any release. Package.swift therefore pins the exact
    /// version, and ArgumentParserContractTests fails, naming what differs, when an upgrade
    /// changes this JSON or the tree it describes.
    static func load() throws -> CommandSpec {
        try decode(RootCommand._dumpHelp())
    }

    static func decode(_ json: String) throws -> CommandSpec {
        let info = try JSONDecoder().decode(ToolInfo.self, from: Data(json.utf8))
        var root = info.command.spec
        root.subcommands.removeAll { $0.name == "help" }
        return root
    }

    /// The commands named by the leading words of `words`, and how many words that took.
    static func resolve(_ words: [String], in root: CommandSpec = root) -> (path: [CommandSpec], consumed: Int) {
        var path = [root]
        var consumed = 0
        for word in words {
            guard let next = path.last!.subcommand(word) else { break }
            path.append(next)
            consumed += 1
        }
        return (path, consumed)
    }

    /// The names of the commands a command line names, options left out:
    /// `--redis-url x orgs set-role 7 42 admin` → `[]`, `orgs set-role 7` → `["orgs", "set-role"]`.
    static func commandPath(_ arguments: [String], in root: CommandSpec = commands) -> [String] {
        resolve(afterGlobalOptions(arguments).filter { !$0.hasPrefix("-") }, in: root).path.dropFirst().map(\.name)
    }

    /// `arguments` from the command's first word on: without the global options given
    /// before it (`--profile prod cache warm` → `cache warm`), for the messages about a
    /// line argument-parser refused (an unknown or missing command), which name its words.
    static func afterGlobalOptions(_ arguments: [String]) -> [String] {
        var start = 0
        while start < arguments.count, arguments[start].hasPrefix("-") {
            let word = arguments[start]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if GlobalOptions.valuedSpellings.contains(name) {
                start += word.contains("=") ? 1 : 2
            } else if GlobalOptions.flagSpellings.contains(name) {
                start += 1
            } else {
                break
            }
        }
        return Array(arguments[min(start, arguments.count)...])
    }
}

// MARK: the ToolInfoV0 JSON (only the fields used here)

private struct ToolInfo: Decodable {
    var command: CommandInfo
}

private struct CommandInfo: Decodable {
    var commandName: String
    var aliases: [String]?
    var abstract: String?
    var shouldDisplay: Bool?
    var subcommands: [CommandInfo]?
    var arguments: [ArgumentInfo]?

    var spec: CommandSpec {
        CommandSpec(
            name: commandName, aliases: aliases ?? [], abstract: abstract ?? "",
            shouldDisplay: shouldDisplay ?? true,
            subcommands: (subcommands ?? []).map(\.spec),
            arguments: (arguments ?? []).map(\.spec))
    }
}

private struct ArgumentInfo: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String

        var spelling: String { kind == "short" ? "-" + name : (kind == "long" ? "--" + name : "-" + name) }
    }

    var kind: ArgumentSpec.Kind
    var names: [Name]?
    var preferredName: Name?
    var valueName: String?
    var isRepeating: Bool?
    var shouldDisplay: Bool?
    var allValues: [String]?
    var completionKind: CompletionKind?

    var spec: ArgumentSpec {
        ArgumentSpec(
            kind: kind,
            spellings: kind == .positional ? [] : (names ?? []).map(\.spelling),
            preferredName: preferredName?.name,
            valueName: valueName,
            isRepeating: isRepeating ?? false,
            shouldDisplay: shouldDisplay ?? true,
            allValues: allValues ?? [],
            completion: completionKind?.completion ?? .none)
    }
}

/// `{"list": {"values": […]}}`, `{"custom": {}}`, … (Swift's synthesized enum coding).
private struct CompletionKind: Decodable {
    var completion: ArgumentSpec.Completion

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct ListValues: Decodable { var values: [String] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard let key = container.allKeys.first else {
            completion = .none
            return
        }
        switch key.stringValue {
        case "list": completion = .list(try container.decode(ListValues.self, forKey: key).values)
        case "custom", "customDeprecated": completion = .custom
        case "customAsync": completion = .customAsync
        default: completion = .other
        }
    }
}
