import ArgumentParser
import Support
import Glibc

struct ReplCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive session over the same commands (also: `wwctl` with no arguments on a terminal).",
        discussion: """
            Example:
              printf 'ping\\nconfig show\\n' | wwctl repl --profile staging

            On a terminal: line editing (emacs keys, arrows, Ctrl-R to search the history), Tab \
            completion of commands, options, profile and role names and keys, history in \
            $XDG_STATE_HOME/wwctl/history (lines that look like they hold a secret, or start \
            with a blank, are not recorded). Connections stay open between commands. Ctrl-C \
            cancels the running command or clears the line; Ctrl-D leaves. Type `help` inside.

            With standard input not a terminal, the lines are a script: no prompt, no colours, \
            `#` comments and blank lines skipped; the first failing command ends the script \
            with its exit status unless --continue-on-error.

            Connection options given here (--redis-url, --database-url, --profile, \
            --key-prefix, --timeout, and the Redis TLS, login, Sentinel and --read-from \
            options) are the session's defaults; -o, -q, -v and --yes are \
            passed to every command that takes them (--yes also confirms raw `redis` commands \
            such as FLUSHDB).
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Flag(name: .customLong("continue-on-error"), help: ArgumentHelp(
        "In a script: run the remaining commands after one fails (the exit status is the first failure's)."))
    var continueOnError = false

    func run() async throws {
        var environment = CurrentEnvironment.read()
        if let value = global.redisURL {
            environment["REDIS_URL"] = value
            environment["WWCTL_REDIS_SENTINELS"] = nil
            environment["WWCTL_REDIS_MASTER"] = nil
        }
        if let value = global.databaseURL { environment["DATABASE_URL"] = value }
        if let value = global.keyPrefix { environment["WWCTL_KEY_PREFIX"] = value }
        if let value = global.timeout { environment["WWCTL_TIMEOUT"] = String(value) }
        global.redis.exportDefaults(to: &environment)

        var defaults: [DefaultFlag] = []
        if let format = global.output {
            defaults.append(DefaultFlag(spellings: ["-o", "--output"], tokens: ["--output", format.rawValue]))
        }
        // A line's own -q or -v overrides the session's other one.
        let quietOrVerbose = ["-q", "--quiet", "-v", "--verbose"]
        if global.quiet { defaults.append(DefaultFlag(spellings: quietOrVerbose, tokens: ["--quiet"])) }
        if global.verbose { defaults.append(DefaultFlag(spellings: quietOrVerbose, tokens: ["--verbose"])) }
        if global.yes { defaults.append(DefaultFlag(spellings: ["--yes"], tokens: ["--yes"])) }

        let options = ReplOptions(
            interactive: isatty(0) == 1, continueOnError: continueOnError, yes: global.yes, defaultFlags: defaults)
        let session = Session(environment: environment)
        session.usedProfile = global.profile
        let status = await Repl(session: session, options: options).run()
        if status != 0 { throw ExitCode(status) }
    }
}
