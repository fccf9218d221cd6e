import ArgumentParser
import CacheOps

struct SlowlogCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "slowlog",
        abstract: "Slow Redis commands: when, how long, which client, and the family of each key argument.",
        discussion: """
            Example:
              wwctl slowlog --limit 20

            Reads SLOWLOG GET: the newest --limit entries, newest first, each with its time, \
            duration, the client's address and name, the command as logged (Redis keeps at most \
            32 arguments of at most 128 bytes), and the family of each key argument. Which \
            arguments are keys comes from the server (COMMAND INFO, or COMMAND GETKEYS for \
            commands whose keys move), asked once per command name. A slow SCAN or KEYS has no \
            key argument and stands out by its name.

            --reset asks first (--yes answers), then prints the slow log and empties it; \
            entries logged between the read and the reset are lost with the rest.

            JSON: length (entries the server holds), entries (array of {id, time (ISO 8601, \
            UTC), timestamp (seconds since 1970), durationMicros, command, arguments, client, \
            clientName, keys: [{key, family, kind}]}), reset. Arguments and keys that are not \
            printable text appear in redis-cli's quoted form. NDJSON: one entry per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Entries shown, newest first.", valueName: "n"))
    var limit: Int = 10

    @Flag(help: "Empty the slow log after printing it (asks first).")
    var reset = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    func execute(_ context: CommandContext) throws {
        let slowLog = SlowLog(redis: try context.redis(), keyspace: context.keyspace)
        if reset {
            // Asked before anything is printed: a refusal leaves no half-answer on stdout.
            try context.confirm("empty the slow log of \(context.settings.redisURL.value.masked)")
        }
        let read = try slowLog.read(limit: limit)
        var result = SlowlogResult(length: read.length, entries: read.entries, reset: false)
        if reset {
            try slowLog.reset()
            result.reset = true
        }
        try context.output.emit(result)
    }
}
