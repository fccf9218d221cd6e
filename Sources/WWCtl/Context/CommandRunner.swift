import ArgumentParser
import Support

/// A wwctl command: declares the global options and does its work in `execute`, given a
/// context. Parsing, settings, connections, errors and exit codes are handled once, here.
public protocol WWCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func execute(_ context: CommandContext) async throws
}

extension WWCommand {
    public func run() async throws {
        try await CommandRunner.run(global: global) { try await execute($0) }
    }
}

public enum CommandRunner {
    /// Builds the context, runs `body`, and turns a failure into its one-line report and
    /// exit code (thrown as `ExitCode`, which the entry point or the REPL then uses).
    public static func run(global: GlobalOptions, _ body: (CommandContext) async throws -> Void) async throws {
        let session = Session.current ?? Session.process
        let terminal = Terminal.current(environment: session.environment)
        let noColor = session.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let output = Output(
            format: global.output ?? .table, terminal: terminal,
            quiet: global.quiet, verbose: global.verbose, noColor: noColor)
        do {
            let settings = try await Settings.resolve(global, environment: session.environment)
            output.detail("redis \(settings.redisURL.value.masked) (\(settings.redisURL.source))")
            let context = CommandContext(settings: settings, output: output, global: global, session: session)
            Interrupt.install()
            try await body(context)
        } catch let exit as ExitCode {
            throw exit
        } catch let error as any CategorizedError {
            output.report(error)
            throw ExitCode(error.category.exitCode)
        } catch let error as ValidationError {
            let usage = WWError.usage(error.message)
            output.report(usage)
            throw ExitCode(usage.category.exitCode)
        } catch {
            let internalError = WWError.internalError("unexpected error: \(String(describing: error))")
            output.report(internalError)
            throw ExitCode(internalError.category.exitCode)
        }
    }
}
