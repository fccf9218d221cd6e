import ArgumentParser
import CacheOps
import Keyspace
import Redis
import Support

struct CacheInspectCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "One key: type, TTL, family and parameters, size, and its value.",
        discussion: """
            KEY is the whole key as stored (as `cache keys` prints it); a KEY in double quotes \
            is read with redis-cli's escapes ("bin:\\xff"). The family and parameters come \
            from the registry, with --key-prefix taken off first.

            A string holding JSON (what the app caches) is pretty-printed on a terminal and \
            shown as stored in a pipe; text that is not valid UTF-8 is shown escaped as \
            redis-cli does. Hashes, lists, sets, sorted sets and streams show at most \
            --max-elements elements, strings at most --max-bytes bytes.

            JSON: key, type, ttlMs (-1: no TTL), family (null if none), params (an object, \
            empty if none), value, plus exists, kind (family, legacy, forbidden, internal, \
            unknown), length, memoryBytes, valueEncoding (json, text or binary, for strings) \
            and truncated. value is the parsed JSON for a string holding JSON, else the \
            string; an object of fields for a hash; an array for a list or set; an array of \
            {member, score} for a sorted set; an array of {id, fields} for a stream. Binary \
            strings appear in redis-cli's quoted form.

            A missing key is a negative answer: "no key …" on stderr, exit 1, and with -o json \
            {"key": …, "type": "none", "ttlMs": -2, "family": …, "params": …, "value": null, \
            "exists": false}.

            Example:
              wwctl cache inspect 'product:42'
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The key, as stored.", valueName: "key"))
    var key: String

    @Option(name: .customLong("max-elements"), help: ArgumentHelp("Elements shown of a hash, list, set, sorted set or stream (default 100).", valueName: "n"))
    var maxElements: Int = 100

    @Option(name: .customLong("max-bytes"), help: ArgumentHelp("Bytes shown of a string (default 1048576).", valueName: "n"))
    var maxBytes: Int = 1 << 20

    func validate() throws {
        if maxElements < 1 { throw ValidationError("--max-elements must be at least 1, got \(maxElements)") }
        if maxBytes < 1 { throw ValidationError("--max-bytes must be at least 1, got \(maxBytes)") }
    }

    func execute(_ context: CommandContext) throws {
        let name = RedisCLIText.bytes(fromArgument: key)
        let inspector = KeyInspector(redis: try context.redis(), keyspace: context.keyspace, maxElements: maxElements, maxBytes: maxBytes)
        guard let inspection = try inspector.inspect(name) else {
            let shown = RedisCLIText.jsonString(name)
            StandardStreams.writeErr("no key \(TerminalText.shortened(RedisCLIText.line(name, terminal: false))) in \(context.settings.redisURL.value.masked)\n")
            if context.output.isMachineReadable {
                try context.output.emit(MissingKeyResult(
                    key: shown, parsed: context.keyspace.parse(name)))
            }
            throw ExitCode(ErrorCategory.negative.exitCode)
        }
        try context.output.emit(InspectResult(inspection))
    }
}
