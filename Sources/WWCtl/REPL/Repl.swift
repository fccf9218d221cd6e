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

/// A flag of `wwctl repl` passed on to the commands run inside it.
struct DefaultFlag: Sendable, Equatable {
    /// The spellings that count as already given (`-o`, `--output`).
    var spellings: [String]
    /// What is appended (`--output json`).
    var tokens: [String]

    /// `words` with `tokens` added when `command` takes the flag and `words` lack it.
    func apply(to words: [String], command: CommandSpec) -> [String] {
        guard let name = tokens.first, command.option(spelled: name) != nil else { return words }
        let given = words.contains { word in
            spellings.contains { spelling in
                word == spelling || word.hasPrefix(spelling + "=")
                    || (!spelling.hasPrefix("--") && word.hasPrefix(spelling) && word.count > spelling.count && !word.hasPrefix("--"))
            }
        }
        if given { return words }
        // Before a `--`, after which everything is positional.
        if let terminator = words.firstIndex(of: "--") {
            return Array(words[..<terminator]) + tokens + Array(words[terminator...])
        }
        return words + tokens
    }
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
    private let catalog: CommandSpec
    private let completer: Completer
    private let redisLookup = RedisLookup()
    private var timing = false
    private var stopRequested = false
    private var history: HistoryFile?
    private var historyEntries: [String] = []

    init(session: Session, options: ReplOptions, catalog: CommandSpec = CommandCatalog.root) {
        self.session = session
        self.options = options
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
            "wwctl \(RootCommand.configuration.version): type \"help\" for the commands, Tab to complete, Ctrl-D to leave.\n")
        do {
            _ = try await Settings.resolve(Self.noFlags, environment: session.environment)
        } catch {
            _ = fail(error)
        }

        while !stopRequested {
            let prompt = await refreshContext()
            guard let line = await readLogicalLine(box, prompt: prompt) else {
                StandardStreams.writeOut("\n")
                break
            }
            guard let line else { continue }
            if line.trimmingCharacters(in: " \t").isEmpty { continue }
            record(line, in: editor)
            _ = await execute(line)
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
        let settings = try? await Settings.resolve(Self.noFlags, environment: session.environment)
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
            warn(error)
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
        while !stopRequested, var line = reader.next() {
            while ShellWords.continues(line), let next = reader.next() {
                line.removeLast()
                line += next
            }
            let trimmed = line.trimmingCharacters(in: " \t\r")
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let status = await execute(line)
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

    /// Runs one line; returns its status (0 success, else the CLI's exit code).
    func execute(_ line: String) async -> Int32 {
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

    private func execute(words: [String], insideWatch: Bool = false) async -> Int32 {
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
            return await timed { await self.redis(arguments) }
        case nil:
            return await timed { await self.runCommand(words, resetInterrupt: !insideWatch) }
        }
    }

    /// A CLI command, parsed and run exactly as `wwctl WORDS…` would be, in this session.
    private func runCommand(_ words: [String], resetInterrupt: Bool) async -> Int32 {
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
            var command = try await RootCommand.asyncParseAsRoot(tokens)
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
        let best = names.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(1, min(2, word.count / 3)) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    private func timed(_ body: () async -> Int32) async -> Int32 {
        let start = Self.now()
        let status = await body()
        if timing {
            let ms = (Self.now() - start) * 1000
            StandardStreams.writeErr("Time: \(Self.decimal(ms, digits: 3)) ms\n")
        }
        return status
    }

    // MARK: REPL commands

    private func help(_ arguments: [String]) async -> Int32 {
        if arguments.isEmpty {
            StandardStreams.writeOut(overview())
            return 0
        }
        if arguments.count == 1, let builtin = ReplBuiltin(word: arguments[0]) {
            StandardStreams.writeOut("usage: \(builtin.usage)\n  \(builtin.summary)\n")
            return 0
        }
        return await runCommand(arguments + ["--help"], resetInterrupt: true)
    }

    private func overview() -> String {
        func table(_ rows: [(String, String)]) -> String {
            let width = rows.map { $0.0.count }.max() ?? 0
            return rows.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }.joined()
        }
        let builtins = ReplBuiltin.allCases.filter { $0 != .quit }.map { ($0 == .exit ? "exit, quit" : $0.usage, $0.summary) }
        let commands = catalog.subcommands.filter(\.shouldDisplay).map { ($0.name, $0.abstract) }
        return "REPL commands:\n" + table(builtins) + "\nCommands (as on the command line, with the same options):\n"
            + table(commands)
            + "\nType 'help COMMAND' or 'COMMAND --help' for details. Tab completes commands, options, names and keys;\n"
            + "quote with '…', \"…\" or a backslash; Ctrl-C cancels a command or clears the line.\n"
    }

    private func setTiming(_ arguments: [String]) -> Int32 {
        switch arguments {
        case []:
            timing.toggle()
        case ["on"]:
            timing = true
        case ["off"]:
            timing = false
        default:
            return fail(WWError.usage("usage: \(ReplBuiltin.timing.usage)"))
        }
        StandardStreams.writeErr("timing is \(timing ? "on" : "off")\n")
        return 0
    }

    private func use(_ arguments: [String]) async -> Int32 {
        let path = ConfigFile.defaultPath(environment: session.environment)
        guard arguments.count == 1 else {
            guard arguments.isEmpty else { return fail(WWError.usage("usage: \(ReplBuiltin.use.usage)")) }
            let file: ConfigFile
            do { file = try ConfigFile.load(path: path) } catch { return fail(error) }
            let current = try? await Settings.resolve(Self.noFlags, environment: session.environment).profile.value
            if file.profiles.isEmpty {
                StandardStreams.writeOut("no profiles\(path.map { " in \($0)" } ?? "")\n")
            }
            for name in file.profiles.keys.sorted() {
                let marks = (name == current ? "* " : "  ") + name + (file.profiles[name]?.production == true ? " (production)" : "")
                StandardStreams.writeOut(marks + "\n")
            }
            return 0
        }
        // The profile's values must win over whatever the session was started with.
        var environment = session.environment
        environment["WWCTL_PROFILE"] = arguments[0]
        for name in ["REDIS_URL", "DATABASE_URL", "WWCTL_KEY_PREFIX", "WWCTL_TIMEOUT"] { environment[name] = nil }
        let settings: Settings
        do {
            settings = try await Settings.resolve(Self.noFlags, environment: environment)
        } catch {
            return fail(error)
        }
        session.closeAll()
        redisLookup.close()
        session.environment = environment
        StandardStreams.writeErr(
            "profile \(arguments[0]): redis \(settings.redisURL.value.masked), postgres \(settings.postgresTarget.masked)"
                + (settings.production ? " (production)" : "") + "\n")
        return 0
    }

    private func watch(_ arguments: [String]) async -> Int32 {
        guard arguments.count >= 2, let seconds = Double(arguments[0]), seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            return fail(WWError.usage("usage: \(ReplBuiltin.watch.usage) (SECONDS more than 0, at most 86400)"))
        }
        let command = Array(arguments.dropFirst())
        if let builtin = ReplBuiltin(word: command[0]), builtin != .redis {
            return fail(WWError.usage("watch runs a command or redis, not '\(builtin.rawValue)'"))
        }
        let title = command.map(ShellWords.quoted).joined(separator: " ")
        let style = Style(enabled: Terminal.current(environment: session.environment).colorEnabled)
        Interrupt.reset()
        while true {
            StandardStreams.writeOut(style.dim("\(Self.timestamp())  every \(formatSeconds(seconds))s: \(title)") + "\n")
            _ = await execute(words: command, insideWatch: true)
            if Interrupt.isRequested { break }
            StandardStreams.writeOut("\n")
            if await Self.sleep(seconds) { break }
        }
        return ErrorCategory.interrupted.exitCode
    }

    private func redis(_ arguments: [String]) async -> Int32 {
        guard !arguments.isEmpty else { return fail(WWError.usage("usage: \(ReplBuiltin.redis.usage)")) }
        if let refusal = ReplBuiltin.refusal(arguments) { return fail(WWError.usage("redis: " + refusal)) }
        Interrupt.reset()
        do {
            let settings = try await Settings.resolve(Self.noFlags, environment: session.environment)
            let url = settings.redisURL.value
            if ReplBuiltin.needsConfirmation(arguments) {
                try confirm("run \(arguments.prefix(2).joined(separator: " ").uppercased()) on redis \(url.address)")
            }
            let connection = try session.redis(url, timeout: settings.timeout.value)
            let reply = try await DedicatedThread.run {
                try connection.command(arguments.map { $0 as any RedisArgument })
            }
            StandardStreams.writeOut(RedisReplyText.render(reply))
            return 0
        } catch let error as RedisError where error.kind == .server {
            StandardStreams.writeOut(RedisReplyText.render(.error(error.serverMessage ?? error.detail)))
            return ErrorCategory.negative.exitCode
        } catch {
            return fail(error)
        }
    }

    /// Asks on the terminal; `--yes` answers; without a terminal the answer is no.
    private func confirm(_ question: String) throws {
        if options.yes { return }
        guard isatty(0) == 1 else {
            throw WWError.usage("refusing to \(question) without confirmation: standard input is not a terminal (start the REPL with --yes)")
        }
        let style = Style(enabled: isatty(2) == 1 && session.environment["NO_COLOR"].map(\.isEmpty) ?? true)
        StandardStreams.writeErr(style.bold("\(question)?") + " [y/N] ")
        let answer = Self.readAnswer()?.trimmingCharacters(in: " \t\r").lowercased()
        guard answer == "y" || answer == "yes", !Interrupt.isRequested else {
            throw WWError.negative("cancelled; nothing was sent")
        }
    }

    // MARK: argument values from ArgumentParser's own completion functions

    /// Runs `.custom` completions in-process through ArgumentParser's `---completion`
    /// protocol. Called on the line editor's thread, which may block.
    static let argumentParserCompletion: Completer.CustomCompletion = { path, argument, words, index, typed in
        let arguments = ["---completion"] + path + ["--", argument, String(index), String(typed.count)] + words
        let output = Blocking.wait { () async -> String? in
            do {
                _ = try await RootCommand.asyncParseAsRoot(arguments)
                return nil
            } catch {
                guard RootCommand.exitCode(for: error) == .success else { return nil }
                return RootCommand.fullMessage(for: error)
            }
        }
        return output?.split(separator: "\n").map(String.init).filter { !$0.isEmpty } ?? []
    }

    // MARK: helpers

    private func fail(_ error: any Error) -> Int32 {
        let categorized = (error as? any CategorizedError) ?? WWError.internalError(String(describing: error))
        output().report(categorized)
        return categorized.category.exitCode
    }

    private func warn(_ error: any Error) {
        let message = (error as? any CategorizedError)?.message ?? String(describing: error)
        output().warning(message)
    }

    private func output() -> Output {
        let noColor = session.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Output(
            format: .table, terminal: Terminal.current(environment: session.environment),
            quiet: false, verbose: false, noColor: noColor)
    }

    /// Waits `seconds`, checking for Ctrl-C every 20 ms; true when interrupted.
    private static func sleep(_ seconds: Double) async -> Bool {
        let deadline = now() + seconds
        while true {
            if Interrupt.isRequested { return true }
            let left = deadline - now()
            if left <= 0 { return false }
            try? await Task.sleep(nanoseconds: UInt64(min(left, 0.02) * 1_000_000_000))
        }
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1_000_000_000
    }

    private static func timestamp() -> String {
        var seconds = time(nil)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func decimal(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    private static func readAnswer() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n < 0, errno == EINTR { continue }
            guard n == 1 else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
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

/// Lines of a file descriptor, without their newlines (and without a trailing `\r`).
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { finished = true } else { buffer += chunk[..<n] }
        }
    }
}

/// Waits for async work from a thread that may block (never from the cooperative pool).
enum Blocking {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let slot = BlockingSlot<T>()
        Task.detached {
            slot.value = await body()
            sem_post(slot.semaphore)
        }
        while sem_wait(slot.semaphore) != 0 && errno == EINTR {}
        return slot.value!
    }
}

private final class BlockingSlot<T>: @unchecked Sendable {
    var value: T?
    let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init() { sem_init(semaphore, 0, 0) }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }
}

/// Optimal string alignment distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previous2[j - 2] + 1)
            }
        }
        previous2 = previous
        previous = current
    }
    return previous[b.count]
}
