import ArgumentParser
import Glibc
import Redis
import Support

/// The commands that exist only in the REPL (see `ReplBuiltin`).
extension Repl {
    func help(_ arguments: [String]) async -> Int32 {
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

    func overview() -> String {
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

    func setTiming(_ arguments: [String]) -> Int32 {
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

    func use(_ arguments: [String]) async -> Int32 {
        guard arguments.count == 1 else {
            guard arguments.isEmpty else { return fail(WWError.usage("usage: \(ReplBuiltin.use.usage)")) }
            let (file, path): (ConfigFile, String?)
            do { (file, path) = try ConfigFile.load(environment: session.environment) } catch { return fail(error) }
            let current = try? Settings.resolve(Self.noFlags, environment: session.environment).profile.value
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
            settings = try Settings.resolve(Self.noFlags, environment: environment)
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

    func watch(_ arguments: [String]) async -> Int32 {
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
            StandardStreams.writeOut(style.dim("\(WallClock.localDateTime())  every \(formatSeconds(seconds))s: \(title)") + "\n")
            _ = await execute(words: command, insideWatch: true)
            if Interrupt.isRequested { break }
            StandardStreams.writeOut("\n")
            if await Self.sleep(seconds) { break }
        }
        return ErrorCategory.interrupted.exitCode
    }

    /// A raw command, its arguments as bytes (`redis GET "perm:\xff"` sends 0xFF). Commands
    /// that may write or administer ask first (`RedisCommandAccess`).
    func redis(_ arguments: [[UInt8]]) async -> Int32 {
        guard !arguments.isEmpty else { return fail(WWError.usage("usage: \(ReplBuiltin.redis.usage)")) }
        let words = arguments.map { String(decoding: $0, as: UTF8.self) }
        if let refusal = ReplBuiltin.refusal(words) { return fail(WWError.usage("redis: " + refusal)) }
        Interrupt.reset()
        do {
            let settings = try Settings.resolve(Self.noFlags, environment: session.environment)
            let url = settings.redisURL.value
            let lookup = options.yes ? .unavailable : redisLookup.commandInfo(arguments[0], target: settings.redisURL.value, timeout: settings.timeout.value)
            if case .asks(let reason) = RedisCommandAccess.verdict(arguments, lookup: lookup) {
                let name = words.prefix(2).joined(separator: " ").uppercased()
                try confirm("run \(TerminalText.echoed(name)) on redis \(url.address) (\(reason))")
            }
            let connection = try session.redisTopology(settings.redis, timeout: settings.timeout.value).primary()
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
    func confirm(_ question: String) throws {
        if options.yes { return }
        guard isatty(0) == 1 else {
            throw WWError.usage("refusing to \(question) without confirmation: standard input is not a terminal (start the REPL with --yes)")
        }
        let style = Style(enabled: isatty(2) == 1 && session.environment["NO_COLOR"].map(\.isEmpty) ?? true)
        guard Confirmation.ask(question, style: style) else {
            throw WWError.negative("cancelled; nothing was sent")
        }
    }
}
