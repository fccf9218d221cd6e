import ArgumentParser
import Support

/// A command group named without one of its commands (`wwctl cache`): ArgumentParser
/// prints the group's help and exits 0, so a cron line missing its command would pass
/// silently. It is a usage error; `--help` still shows the help. `wwctl` alone is left
/// alone (help, or the REPL on a terminal).
struct MissingSubcommand {
    var path: [String]
    var names: [String]

    init?(_ command: any ParsableCommand, arguments: [String], root: CommandSpec = CommandCatalog.commands) {
        guard !arguments.isEmpty, !type(of: command).configuration.subcommands.isEmpty else { return nil }
        let words = CommandCatalog.afterGlobalOptions(arguments).filter { !$0.hasPrefix("-") }
        let (resolved, _) = CommandCatalog.resolve(words, in: root)
        path = resolved.dropFirst().map(\.name)
        names = resolved.last!.subcommands.map(\.name)
    }

    func report(_ arguments: [String], invocation: Invocation) -> Int32 {
        let named = invocation.command(path)
        return reportUsage(
            "'\(named)' needs a command: \(names.joined(separator: ", ")) (see \(invocation.helpCommand(path)))",
            arguments: arguments, invocation: invocation)
    }
}

/// A word where a command group expects one of its subcommands (`wwctl pnig`,
/// `wwctl cache familes`), with the nearest name to suggest.
struct UnknownCommand {
    var path: [String]
    var word: String
    var suggestion: String?

    init?(_ arguments: [String], root: CommandSpec = CommandCatalog.commands) {
        let arguments = CommandCatalog.afterGlobalOptions(arguments)
        let (resolved, consumed) = CommandCatalog.resolve(arguments, in: root)
        guard consumed < arguments.count else { return nil }
        let word = arguments[consumed]
        let group = resolved.last!
        // An option, or an argument of a command that has no subcommands.
        if word.hasPrefix("-") || group.subcommands.isEmpty { return nil }
        if consumed == 0 && word == "help" { return nil }
        self.path = resolved.dropFirst().map(\.name)
        self.word = word
        self.suggestion = nearestName(to: word, among: group.subcommands.map(\.name))
    }

    var message: String {
        let full = (path + [word]).joined(separator: " ")
        guard let suggestion else { return "unknown command '\(full)'" }
        return "unknown command '\(full)'; did you mean '\((path + [suggestion]).joined(separator: " "))'?"
    }
}

/// `wwctl help nosuch`: ArgumentParser would print the top-level help and exit 0, so a
/// mistyped topic looked answered. It is a usage error with the nearest topic to suggest.
struct UnknownHelpTopic {
    var path: [String]
    var word: String
    var suggestion: String?

    /// nil unless `arguments` ask for help (`help WORDS…`) on words that name no command.
    init?(_ arguments: [String], root: CommandSpec = CommandCatalog.commands) {
        guard arguments.first == "help" else { return nil }
        let words = arguments.dropFirst().filter { !$0.hasPrefix("-") }
        let (resolved, consumed) = CommandCatalog.resolve(words, in: root)
        guard consumed < words.count else { return nil }
        path = resolved.dropFirst().map(\.name)
        word = words[consumed]
        suggestion = nearestName(to: word, among: resolved.last!.subcommands.map(\.name))
    }

    var message: String {
        let topic = (path + [word]).joined(separator: " ")
        guard let suggestion else {
            return path.isEmpty ? "no help topic '\(topic)'" : "no help topic '\(topic)': '\(path.joined(separator: " "))' has no command '\(word)'"
        }
        return "no help topic '\(topic)'; did you mean '\((path + [suggestion]).joined(separator: " "))'?"
    }

    func report(_ arguments: [String], invocation: Invocation) -> Int32 {
        reportUsage(message + " (see \(invocation.helpCommand(path)))", arguments: arguments, invocation: invocation)
    }
}

/// The name among `names` nearest to a mistyped `word`, unless every one is far from it.
func nearestName(to word: String, among names: [String]) -> String? {
    var best: String?
    var bestDistance = Int.max
    for name in names {
        let distance = EditDistance.ignoringCase(word, name)
        if distance < bestDistance {
            best = name
            bestDistance = distance
        }
    }
    return bestDistance <= max(2, word.count / 3) ? best : nil
}

/// Reports a usage mistake found before any command ran (one line on stderr, the JSON
/// error with -o json) and returns its exit status, 64.
func reportUsage(_ message: String, arguments: [String], invocation: Invocation) -> Int32 {
    let usage = WWError.usage(message)
    let output = Output(
        format: WWCtlMain.requestedFormat(arguments), terminal: Terminal.current(environment: [:]),
        quiet: false, verbose: false, noColor: true, invocation: invocation)
    output.report(usage)
    return usage.category.exitCode
}
