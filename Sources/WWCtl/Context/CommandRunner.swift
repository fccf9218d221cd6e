import ArgumentParser
import Support
import Synchronization

/// A wwctl command: declares the global options and does its work in `execute`, given a
/// context. Parsing, settings, connections, errors and exit codes are handled once, here.
///
/// Commands are synchronous unless they must wait on several things at once
/// (`WWAsyncCommand`): a synchronous command never starts Swift's concurrency thread pool,
/// which is a millisecond of every process start, and cron, monitoring and shell completion
/// start the binary constantly.
public protocol WWCommand: ParsableCommand {
    var global: GlobalOptions { get }
    /// Whether `-o prometheus` is an output this command has (only `metrics`); every other
    /// command refuses it as a usage error before it connects anywhere.
    static var printsPrometheus: Bool { get }
    func execute(_ context: CommandContext) throws
}

extension WWCommand {
    public static var printsPrometheus: Bool { false }

    public func run() throws {
        try CommandRunner.run(global: global, printsPrometheus: Self.printsPrometheus) { try execute($0) }
    }
}

/// A command that awaits (e.g. `ping` and `health` query both servers at once).
public protocol WWAsyncCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func execute(_ context: CommandContext) async throws
}

extension WWAsyncCommand {
    public func run() async throws {
        let context = try CommandRunner.makeContext(global: global, printsPrometheus: false)
        do {
            try await execute(context.context)
        } catch {
            throw CommandRunner.exit(for: error, output: context.output)
        }
    }
}

public enum CommandRunner {
    /// Builds the context, runs `body`, and turns a failure into its one-line report and
    /// exit code (thrown as `ExitCode`, which the entry point or the REPL then uses).
    public static func run(global: GlobalOptions, printsPrometheus: Bool = false, _ body: (CommandContext) throws -> Void) throws {
        let context = try makeContext(global: global, printsPrometheus: printsPrometheus)
        do {
            try body(context.context)
        } catch {
            throw exit(for: error, output: context.output)
        }
    }

    /// The context for a command; a failure to resolve the settings is reported and
    /// thrown as its exit code.
    static func makeContext(global: GlobalOptions, printsPrometheus: Bool) throws -> (context: CommandContext, output: Output) {
        let session = Session.current ?? Session.process
        let terminal = Terminal.current(environment: session.environment)
        let noColor = session.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let output = Output(
            format: global.output ?? .table, terminal: terminal,
            quiet: global.quiet, verbose: global.verbose, noColor: noColor, invocation: session.invocation)
        do {
            let settings = try Settings.resolve(global, environment: session.environment, used: session.usedProfile)
            if output.format == .prometheus && !printsPrometheus {
                throw WWError.usage("-o prometheus is only for metrics; use table, json or ndjson")
            }
            output.detail("redis \(settings.redisURL.value.masked) (\(settings.redisURL.source))")
            if settings.redis.isInsecure { InsecureWarning.printOnce(output) }
            Interrupt.install()
            return (CommandContext(settings: settings, output: output, global: global, session: session), output)
        } catch {
            throw exit(for: error, output: output)
        }
    }

    /// Reports `error` (once) and returns the `ExitCode` to throw.
    static func exit(for error: any Error, output: Output) -> ExitCode {
        switch error {
        case let exit as ExitCode:
            return exit
        case let error as any CategorizedError:
            output.report(error)
            return ExitCode(error.category.exitCode)
        case let error as ValidationError:
            let usage = WWError.usage(error.message)
            output.report(usage)
            return ExitCode(usage.category.exitCode)
        default:
            let internalError = WWError.internalError("unexpected error: \(String(describing: error))")
            output.report(internalError)
            return ExitCode(internalError.category.exitCode)
        }
    }
}

/// `--insecure` turns off what TLS is for: say so, once per process (the REPL runs many
/// commands), whatever `--quiet` says.
enum InsecureWarning {
    private static let printed = Atomic<Bool>(false)

    static func printOnce(_ output: Output) {
        guard !printed.exchange(true, ordering: .relaxed) else { return }
        StandardStreams.writeErr(
            output.errorStyle.yellow("warning: ") + "--insecure: the Redis server's TLS certificate is not verified\n")
    }
}
