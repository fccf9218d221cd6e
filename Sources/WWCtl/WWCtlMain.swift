import ArgumentParser
import Support

/// The entry point: parses the command line, runs the command, and returns the exit
/// status. Only `main.swift` exits.
public enum WWCtlMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
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
        let usage = WWError(code.rawValue == 64 ? .usage : .internalError, message + helpHint(arguments))
        let output = Output(
            format: requestedFormat(arguments), terminal: Terminal.current(environment: [:]),
            quiet: false, verbose: false, noColor: true)
        output.report(usage)
        return code.rawValue
    }

    private static func helpHint(_ arguments: [String]) -> String {
        let words = arguments.prefix { !$0.hasPrefix("-") }.prefix(2)
        return " (see 'wwctl \(words.isEmpty ? "" : words.joined(separator: " ") + " ")--help')"
    }

    /// The `-o` value, looked for by hand because parsing failed.
    private static func requestedFormat(_ arguments: [String]) -> OutputFormat {
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

struct RootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wwctl",
        abstract: "Operate the WayWise marketplace backend: PostgreSQL truth, Redis caches.",
        discussion: """
            Exit codes: 0 success, 1 negative answer (denied, findings), 64 usage, 65 bad input \
            data, 69 server unavailable, 70 internal error, 75 temporary failure (lock held), \
            130 interrupted. `health` uses 0/1/2/3 (OK/WARNING/CRITICAL/UNKNOWN).
            """,
        version: "0.1.0",
        subcommands: [
            PingCommand.self,
            ConfigCommand.self,
            DBCommand.self,
            CacheCommand.self,
        ])
}
