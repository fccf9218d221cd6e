import ArgumentParser
import Glibc
import Support

/// The entry point: parses the command line, runs the command, and returns the exit
/// status. Only `main.swift` exits.
public enum WWCtlMain {
    /// Runs the command line of this process, read byte-exact (`RawArguments`), and closes
    /// the process's connections (the caller ends the process without exit handlers).
    public static func run() -> Int32 {
        defer { Session.process.closeAll() }
        switch RawArguments.process().flatMap({ arguments in
            RawArguments.environmentRefusal().map { Result.failure($0) } ?? .success(arguments)
        }) {
        case .success(let arguments):
            return run(arguments: arguments)
        case .failure(let refusal):
            let arguments = Array(CommandLine.arguments.dropFirst())
            Output(format: requestedFormat(arguments), terminal: Terminal.current(environment: [:]),
                   quiet: false, verbose: false, noColor: true).report(refusal)
            return refusal.category.exitCode
        }
    }

    public static func run(arguments: [String]) -> Int32 {
        // `wwctl` alone on a terminal is the REPL.
        let arguments = arguments.isEmpty && isatty(0) == 1 && isatty(1) == 1 ? ["repl"] : arguments
        if VersionCommand.isRequested(arguments) { return VersionCommand.run(arguments) }
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
        let path = CommandCatalog.commandPath(arguments)
        return " (see 'wwctl \(path.map { $0 + " " }.joined())--help')"
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
