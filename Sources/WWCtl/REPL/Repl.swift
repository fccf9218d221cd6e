import ArgumentParser
import Glibc
import LineEditor
import Redis
import Support

/// How `wwctl repl` was started.
struct ReplOptions: Sendable {
    /// Standard input is a terminal: line editing, prompt, history, completion.
    var interactive: Bool
    /// Script mode: keep going after a failed command.
    var continueOnError = false
    /// Answer the REPL's own confirmations (dangerous `redis` commands).
    var yes = false
    /// Flags added to each CLI command that accepts them and was not given them
    /// (`wwctl repl -o json` makes every command print JSON).
    var defaultFlags: [DefaultFlag] = []
}

/// The REPL: reads lines (with libedit on a terminal, plainly from a pipe), runs each as
/// a REPL command or a CLI command through the same `RootCommand` parser, inside one
/// `Session` so connections stay open between commands.
final class Repl {
    static let historyLimit = 1000

    /// Settings are resolved as for a command given no flags: the session's environment
    /// and profile decide. (`GlobalOptions()` has no values until parsed.)
    static let noFlags: GlobalOptions = (try? GlobalOptions.parse([])) ?? GlobalOptions()

    let session: Session
    let options: ReplOptions
    let catalog: CommandSpec
    private let completer: Completer
    let redisLookup = RedisLookup()
    var timing = false
    var stopRequested = false
    private var history: HistoryFile?
    private var historyEntries: [String] = []

    init(session: Session, options: ReplOptions, catalog: CommandSpec = CommandCatalog.root) {
        self.session = session
        self.options = options
        // `repl` inside the REPL is refused, so it is neither offered nor listed.
        var catalog = catalog
        catalog.subcommands.removeAll { $0.name == "repl" }
        self.catalog = catalog
        self.completer = Completer(
            catalog: catalog, registry: .standard,
            context: CompletionContext(settings: nil, environment: session.environment, redis: nil),
            customCompletion: Repl.argumentParserCompletion)
        if !options.interactive {
            // Scripts get no colours, whatever stdout is.
            session.environment["NO_COLOR"] = "1"
        }
    }

    /// Runs until Ctrl-D, `exit`, the end of the script, or (in a script) the first failure.
    /// Returns the exit status.
    func run() async -> Int32 {
        defer {
            session.closeAll()
            redisLookup.close()
        }
        return options.interactive ? await runInteractive() : await runScript()
    }

    // MARK: interactive

    private func runInteractive() async -> Int32 {
        // Ctrl-C while a command runs asks it to stop (Interrupt.check) and never ends the
        // REPL; while a line is edited, the line editor handles it. Installing Interrupt
        // first keeps CommandRunner from putting back its handler, which exits on a second Ctrl-C.
        Interrupt.install()
        signal(SIGINT, replInterruptHandler)

        let editor: LineEditor
        do {
            editor = try LineEditor(programName: "wwctl", historyLimit: Self.historyLimit)
        } catch {
            return fail(error)
        }
        loadHistory(into: editor)
        let completer = self.completer
        editor.completer = { completer.complete($0) }
        let box = EditorBox(editor)

        StandardStreams.writeOut(
            "wwctl \(BuildInfo.version): type \"help\" for the commands, Tab to complete, Ctrl-D to leave.\n")
        do {
            _ = try Settings.resolve(Self.noFlags, environment: session.environment)
        } catch {
            _ = fail(error)
        }

        while !stopRequested {
            let prompt = await refreshContext()
            // At the prompt, SIGTERM and SIGHUP end the REPL as they would any program; while
            // a command runs, they stop it between batches like Ctrl-C, and then end the REPL.
            signal(SIGTERM, SIG_DFL)
            signal(SIGHUP, SIG_DFL)
            let read = await readLogicalLine(box, prompt: prompt)
            Interrupt.handleTermination()
            guard let line = read else {
                StandardStreams.writeOut("\n")
                break
            }
            guard let line else { continue }
            if line.trimming(anyOf: " \t").isEmpty { continue }
            record(line, in: editor)
            _ = await execute(line)
            if Interrupt.isTermination { return Interrupt.exitStatus }
            // The terminal echoed ^C; the prompt goes on the next line.
            if Interrupt.isRequested {
                StandardStreams.writeOut("\n")
                Interrupt.reset()
            }
        }
        return 0
    }

    /// A line, with backslash continuations joined. nil: end of input; `.some(nil)`: the
    /// line was abandoned with Ctrl-C.
    private func readLogicalLine(_ box: EditorBox, prompt: String) async -> String?? {
        var line = ""
        var currentPrompt = prompt
        while true {
            let input = await box.read(prompt: currentPrompt)
            switch input {
            case .endOfInput:
                return line.isEmpty ? nil : .some(nil)
            case .interrupted:
                StandardStreams.writeOut("^C\n")
                return .some(nil)
            case .notUTF8:
                _ = fail(WWError.usage(
                    "the line is not valid UTF-8; nothing was run. Give bytes in the quoted escape form (redis GET \"perm:\\xff\")"))
                return .some(nil)
            case .line(let text):
                line += text
                guard ShellWords.continues(line) else { return .some(line) }
                line.removeLast()
                currentPrompt = Prompt.continuation
            }
        }
    }

    /// The prompt, after resolving the settings again (a `use` may have changed them), and
    /// the completion context for the next line.
    private func refreshContext() async -> String {
        let settings = try? Settings.resolve(Self.noFlags, environment: session.environment)
        completer.context = CompletionContext(settings: settings, environment: session.environment, redis: redisLookup)
        guard let settings else { return Prompt.unresolved }
        let style = Style(enabled: Terminal.current(environment: session.environment).colorEnabled)
        return Prompt.text(
            profile: settings.profile.value, production: settings.production,
            redis: settings.redisURL.value, postgres: settings.postgresTarget, style: style)
    }

    // MARK: history

    private func loadHistory(into editor: LineEditor) {
        guard let path = HistoryFile.defaultPath(environment: session.environment) else { return }
        var file = HistoryFile(path: path, limit: Self.historyLimit)
        do {
            historyEntries = try file.load()
        } catch {
            // Once, and the session goes on without a history file.
            warn(error)
            return
        }
        for entry in historyEntries { editor.addHistory(entry) }
        history = file
    }

    /// Keeps `line` in the history (memory and file) unless it may hold a secret or starts
    /// with a blank (the shell convention for "do not record this").
    private func record(_ line: String, in editor: LineEditor) {
        guard !line.hasPrefix(" "), !line.hasPrefix("\t"), !SecretFilter.containsSecret(line) else { return }
        guard historyEntries.last != line else { return }
        editor.addHistory(line)
        historyEntries.append(line)
        if historyEntries.count > Self.historyLimit { historyEntries.removeFirst(historyEntries.count - Self.historyLimit) }
        do {
            try history?.append(line, keeping: historyEntries)
        } catch {
            warn(error)
            history = nil
        }
    }

    // MARK: script

    private func runScript() async -> Int32 {
        Interrupt.install()
        var reader = LineReader(fd: 0)
        var firstFailure: Int32?
        var number = 0
        func text(_ line: LineReader.Line) -> String? {
            number += 1
            if case .text(let text) = line { return text }
            return nil
        }
        while !stopRequested, let first = reader.next() {
            let status: Int32
            if var line = text(first) {
                var invalid = false
                while ShellWords.continues(line), let next = reader.next() {
                    line.removeLast()
                    guard let more = text(next) else { invalid = true; break }
                    line += more
                }
                let trimmed = line.trimming(anyOf: " \t\r")
                if !invalid && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
                status = invalid ? fail(Self.notUTF8(line: number)) : await execute(line)
            } else {
                status = fail(Self.notUTF8(line: number))
            }
            if status == ErrorCategory.interrupted.exitCode || Interrupt.isRequested {
                return ErrorCategory.interrupted.exitCode
            }
            if status != 0 {
                guard options.continueOnError else { return status }
                firstFailure = firstFailure ?? status
            }
        }
        return firstFailure ?? 0
    }

    // MARK: running a line

    /// A script line that is not UTF-8 is refused, not run with its bytes replaced.
    static func notUTF8(line: Int) -> WWError {
        WWError.usage(
            "line \(line) is not valid UTF-8; nothing was run. Give bytes in the quoted escape form "
                + "(redis \"perm:\\xff\", cache invalidate '\"perm:\\xff\"')")
    }

    /// Runs one line; returns its status (0 success, else the CLI's exit code).
    func execute(_ line: String) async -> Int32 {
        if let rest = Self.redisArguments(line) {
            guard let arguments = RedisCLIText.splitArguments(rest.utf8) else {
                return fail(WWError.usage("redis: unbalanced quotes (arguments are read as redis-cli reads them)"))
            }
            return await timed { await self.redis(arguments) }
        }
        let words: [String]
        do {
            words = try ShellWords.split(line)
        } catch .unterminatedQuote(let quote) {
            return fail(WWError.usage("unterminated \(quote == .single ? "single" : "double") quote"))
        } catch {
            return fail(WWError.usage("a line cannot end with a backslash"))
        }
        return await execute(words: words)
    }

    func execute(words: [String], insideWatch: Bool = false) async -> Int32 {
        guard let first = words.first else { return 0 }
        let arguments = Array(words.dropFirst())
        switch ReplBuiltin(word: first) {
        case .help:
            return await help(arguments)
        case .exit, .quit:
            guard arguments.isEmpty else { return fail(WWError.usage("\(first) takes no arguments")) }
            stopRequested = true
            return 0
        case .timing:
            return setTiming(arguments)
        case .use:
            return await use(arguments)
        case .watch:
            return await watch(arguments)
        case .redis:
            return await timed { await self.redis(arguments.map { Array($0.utf8) }) }
        case nil:
            return await timed { await self.runCommand(words, resetInterrupt: !insideWatch) }
        }
    }

    /// The text after `redis` when `line` is a raw Redis command: its arguments are split
    /// as redis-cli splits them (`"…"` with `\xHH` escapes), not as shell words.
    static func redisArguments(_ line: String) -> Substring? {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard text.hasPrefix("redis") else { return nil }
        let rest = text.dropFirst("redis".count)
        guard let next = rest.first else { return rest }
        return next == " " || next == "\t" ? rest : nil
    }

    /// A CLI command, parsed and run exactly as `wwctl WORDS…` would be, in this session.
    func runCommand(_ words: [String], resetInterrupt: Bool) async -> Int32 {
        let first = words[0]
        if first == "repl" { return fail(WWError.usage("already in the REPL")) }
        if !first.hasPrefix("-"), catalog.subcommand(first) == nil {
            return fail(WWError.usage("unknown command '\(first)'\(suggestion(for: first)) (type 'help' for the list)"))
        }
        let (path, _) = CommandCatalog.resolve(words, in: catalog)
        var tokens = words
        for flag in options.defaultFlags { tokens = flag.apply(to: tokens, command: path.last!) }
        if resetInterrupt { Interrupt.reset() }
        do {
            var command = try RootCommand.parseAsRoot(tokens)
            try await Session.$current.withValue(session) {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            }
            return 0
        } catch {
            return WWCtlMain.report(error, arguments: tokens)
        }
    }

    private func suggestion(for word: String) -> String {
        let names = ReplBuiltin.allCases.map(\.rawValue) + catalog.subcommands.map(\.name)
        let best = names.map { ($0, EditDistance.ignoringCase(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(1, min(2, word.count / 3)) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    func timed(_ body: () async -> Int32) async -> Int32 {
        let start = Monotonic.now()
        let status = await body()
        if timing {
            let ms = (Monotonic.now() - start) * 1000
            StandardStreams.writeErr("Time: \(fixedDecimal(ms, digits: 3)) ms\n")
        }
        return status
    }

    // MARK: helpers

    func fail(_ error: any Error) -> Int32 {
        let categorized = (error as? any CategorizedError) ?? WWError.internalError(String(describing: error))
        output().report(categorized)
        return categorized.category.exitCode
    }

    func warn(_ error: any Error) {
        let message = oneLineMessage(error)
        output().warning(message)
    }

    func output() -> Output {
        let noColor = session.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Output(
            format: .table, terminal: Terminal.current(environment: session.environment),
            quiet: false, verbose: false, noColor: noColor)
    }

    /// Waits `seconds`, checking for Ctrl-C every 20 ms; true when interrupted.
    static func sleep(_ seconds: Double) async -> Bool {
        let deadline = Monotonic.now() + seconds
        while true {
            if Interrupt.isRequested { return true }
            let left = deadline - Monotonic.now()
            if left <= 0 { return false }
            try? await Task.sleep(nanoseconds: UInt64(min(left, 0.02) * 1_000_000_000))
        }
    }

}

/// SIGINT in the interactive REPL: a request to the running command, never an exit.
private let replInterruptHandler: @convention(c) (Int32) -> Void = { _ in
    Interrupt.request()
}

/// Hands the line editor to the thread that reads (readline blocks, so it must not sit
/// on one of the few threads of Swift's cooperative pool). Used by one reader at a time.
private final class EditorBox: @unchecked Sendable {
    private let editor: LineEditor

    init(_ editor: LineEditor) { self.editor = editor }

    func read(prompt: String) async -> LineEditor.Input {
        (try? await DedicatedThread.run { self.editor.readLine(prompt: prompt) }) ?? .endOfInput
    }
}
