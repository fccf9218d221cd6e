import ArgumentParser
import Glibc
import Support

/// The entry point: parses the command line, runs the command, and returns the exit
/// status. Only `main.swift` exits.
public enum WWCtlMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        // `wwctl` alone on a terminal is the REPL.
        let arguments = arguments.isEmpty && isatty(0) == 1 && isatty(1) == 1 ? ["repl"] : arguments
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if let missing = MissingSubcommand(command, arguments: arguments) { return missing.report(arguments) }
            if let asyncCommand = command as? any AsyncParsableCommand {
                // Only commands that await start the concurrency runtime's threads.
                let box = UncheckedBox(asyncCommand)
                let result = Blocking.wait { () async -> Result<Void, any Error> in
                    do {
                        try await box.value.run()
                        return .success(())
                    } catch {
                        return .failure(UncheckedBox(error).value)
                    }
                }
                try result.get()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error, arguments: arguments)
        }
    }

    /// Help and version go to stdout with status 0; usage errors are one line on stderr
    /// (and a JSON error on stdout with `-o json`), status 64. Errors from commands were
    /// already reported by `CommandRunner` and arrive here as bare exit codes.
    static func report(_ error: any Error, arguments: [String]) -> Int32 {
        let code = RootCommand.exitCode(for: error)
        if error is ExitCode { return code.rawValue }
        if code == .success {
            StandardStreams.writeOut(RootCommand.fullMessage(for: error) + "\n")
            return 0
        }
        var message = RootCommand.message(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        message = message.split(separator: "\n").first.map(String.init) ?? message
        var hint = helpHint(arguments)
        if code.rawValue == 64, let unknown = UnknownCommand(arguments) {
            message = unknown.message
            hint = " (see 'wwctl \(unknown.path.map { $0 + " " }.joined())--help')"
        } else if code.rawValue == 64, let negative = UsageHint.negativeNumber(arguments, parserMessage: message) {
            message = negative
        } else if code.rawValue == 64, let reordered = UsageHint.optionsBeforeCommand(arguments, parserMessage: message) {
            message = reordered
            hint = ""
        }
        let usage = WWError(code.rawValue == 64 ? .usage : .internalError, message + hint)
        let output = Output(
            format: requestedFormat(arguments), terminal: Terminal.current(environment: [:]),
            quiet: false, verbose: false, noColor: true)
        output.report(usage)
        return code.rawValue
    }

    /// `(see 'wwctl orgs set-role --help')`: the help of the deepest command named.
    private static func helpHint(_ arguments: [String]) -> String {
        var command: any ParsableCommand.Type = RootCommand.self
        var path = ""
        for word in arguments where !word.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            command = next
            path += word + " "
        }
        return " (see 'wwctl \(path)--help')"
    }

    /// The `-o` value, looked for by hand because parsing failed.
    static func requestedFormat(_ arguments: [String]) -> OutputFormat {
        for (i, argument) in arguments.enumerated() {
            if (argument == "-o" || argument == "--output"), i + 1 < arguments.count {
                return OutputFormat(rawValue: arguments[i + 1]) ?? .table
            }
            for prefix in ["--output=", "-o"] where argument.hasPrefix(prefix) && argument.count > prefix.count {
                if let format = OutputFormat(rawValue: String(argument.dropFirst(prefix.count))) { return format }
            }
        }
        return .table
    }
}

struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wwctl",
        abstract: "Operate the WayWise marketplace backend: PostgreSQL truth, Redis caches.",
        discussion: """
            Exit codes: 0 success, 1 negative answer (denied, findings), 64 usage, 65 bad input \
            data, 69 server unavailable, 70 internal error, 75 temporary failure (lock held), \
            130 interrupted. `health` uses 0/1/2/3 (OK/WARNING/CRITICAL/UNKNOWN).

            With no arguments on a terminal, wwctl starts its REPL.

            Example:
              wwctl ping && wwctl cache warm --org 7 && wwctl metrics -o prometheus
            """,
        version: "0.1.0",
        subcommands: [
            PingCommand.self,
            ConfigCommand.self,
            DBCommand.self,
            OrgsCommand.self,
            PermsCommand.self,
            ProductsCommand.self,
            PayoutsCommand.self,
            SessionsCommand.self,
            TokensCommand.self,
            RateLimitCommand.self,
            CacheCommand.self,
            MetricsCommand.self,
            HealthCommand.self,
            ReplCommand.self,
        ])
}

/// Carries a value the compiler cannot prove Sendable across the one hand-off from the
/// main thread to the task that runs an async command (and its result back).
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A command group named without one of its commands (`wwctl cache`): ArgumentParser
/// prints the group's help and exits 0, so a cron line missing its command would pass
/// silently. It is a usage error; `--help` still shows the help. `wwctl` alone is left
/// alone (help, or the REPL on a terminal).
struct MissingSubcommand {
    var path: [String]
    var names: [String]

    init?(_ command: any ParsableCommand, arguments: [String]) {
        let group = type(of: command)
        let subcommands = group.configuration.subcommands
        guard !arguments.isEmpty, !subcommands.isEmpty else { return nil }
        path = []
        var current: any ParsableCommand.Type = RootCommand.self
        for word in arguments where !word.hasPrefix("-") {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            current = next
            path.append(word)
        }
        names = subcommands.map { $0._commandName }
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

    init?(_ arguments: [String]) {
        var command: any ParsableCommand.Type = RootCommand.self
        var path: [String] = []
        for word in arguments {
            let subcommands: [any ParsableCommand.Type] = command.configuration.subcommands
            if word.hasPrefix("-") || subcommands.isEmpty { return nil }
            var names: [String] = []
            var matched: (any ParsableCommand.Type)?
            for subcommand in subcommands {
                let name = subcommand._commandName
                names.append(name)
                if name == word || subcommand.configuration.aliases.contains(word) { matched = subcommand }
            }
            if let matched {
                command = matched
                path.append(word)
                continue
            }
            if path.isEmpty && word == "help" { return nil }
            self.path = path
            self.word = word
            var best: String?
            var bestDistance = Int.max
            for name in names {
                let distance = editDistance(word, name)
                if distance < bestDistance {
                    best = name
                    bestDistance = distance
                }
            }
            self.suggestion = bestDistance <= max(2, word.count / 3) ? best : nil
            return
        }
        return nil
    }

    var message: String {
        let full = (path + [word]).joined(separator: " ")
        guard let suggestion else { return "unknown command '\(full)'" }
        return "unknown command '\(full)'; did you mean '\((path + [suggestion]).joined(separator: " "))'?"
    }
}
