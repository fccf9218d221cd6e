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
        let (resolved, _) = CommandCatalog.resolve(arguments.filter { !$0.hasPrefix("-") }, in: root)
        path = resolved.dropFirst().map(\.name)
        names = resolved.last!.subcommands.map(\.name)
    }

    func report(_ arguments: [String]) -> Int32 {
        let named = (["wwctl"] + path).joined(separator: " ")
        let usage = WWError.usage("'\(named)' needs a command: \(names.joined(separator: ", ")) (see '\(named) --help')")
        let output = Output(
            format: WWCtlMain.requestedFormat(arguments), terminal: Terminal.current(environment: [:]),
            quiet: false, verbose: false, noColor: true)
        output.report(usage)
        return usage.category.exitCode
    }
}

/// A word where a command group expects one of its subcommands (`wwctl pnig`,
/// `wwctl cache familes`), with the nearest name to suggest.
struct UnknownCommand {
    var path: [String]
    var word: String
    var suggestion: String?

    init?(_ arguments: [String], root: CommandSpec = CommandCatalog.commands) {
        let (resolved, consumed) = CommandCatalog.resolve(arguments, in: root)
        guard consumed < arguments.count else { return nil }
        let word = arguments[consumed]
        let group = resolved.last!
        // An option, or an argument of a command that has no subcommands.
        if word.hasPrefix("-") || group.subcommands.isEmpty { return nil }
        if consumed == 0 && word == "help" { return nil }
        self.path = resolved.dropFirst().map(\.name)
        self.word = word
        var best: String?
        var bestDistance = Int.max
        for name in group.subcommands.map(\.name) {
            let distance = EditDistance.ignoringCase(word, name)
            if distance < bestDistance {
                best = name
                bestDistance = distance
            }
        }
        self.suggestion = bestDistance <= max(2, word.count / 3) ? best : nil
    }

    var message: String {
        let full = (path + [word]).joined(separator: " ")
        guard let suggestion else { return "unknown command '\(full)'" }
        return "unknown command '\(full)'; did you mean '\((path + [suggestion]).joined(separator: " "))'?"
    }
}
