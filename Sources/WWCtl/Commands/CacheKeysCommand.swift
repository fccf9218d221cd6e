import ArgumentParser
import CacheOps
import Keyspace
import Redis
import Support

struct CacheKeysCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List the keys a pattern matches, as SCAN finds them (never KEYS).",
        discussion: """
            Example:
              wwctl cache keys 'perm:42:*' --limit 20

            PATTERN is a Redis glob (`*`, `?`, `[abc]`, `\\x` for a literal x) taken literally: \
            --key-prefix is not added to it. With --family F [--param NAME=VALUE]… instead, the \
            keys of one family are listed, the prefix applied and each key checked against the \
            family's shape. A PATTERN in double quotes is read with redis-cli's escapes \
            ("bin:\\xff*").

            Keys are printed as they are found, one per line, escaped as redis-cli escapes \
            them: on a terminal always in double quotes, as `redis-cli --scan` shows them \
            there; in a pipe as they are, except keys holding bytes that need escaping \
            (newlines, `"`, `\\`, anything outside printable ASCII), which are printed quoted \
            ("a\\nb", "caf\\xc3\\xa9"). JSON: an array of key strings; a key that is not valid \
            UTF-8 (or itself starts and ends with `"`) appears in the quoted form, which \
            `cache inspect` and `cache invalidate --exact` read back to the same bytes.

            Sorted (bytewise, each key once) on a terminal or with --sort; elsewhere printed \
            as found unless --sort, which then waits for the whole walk. Unsorted, a key may \
            be listed twice when the server resizes its table during the walk: SCAN only \
            promises every key present throughout at least once. No key matching is not an \
            error: stderr says so (and how many keys were walked), and the exit status is 0.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("A Redis glob pattern, taken literally.", valueName: "pattern"))
    var pattern: String?

    @Option(help: ArgumentHelp("Stop after this many keys.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("List one family's keys instead of a pattern's (with --key-prefix).", valueName: "family"), completion: ShellCompletions.families)
    var family: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("With --family: fix a parameter (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Sort the keys (bytewise, each once) after the walk; the default on a terminal."))
    var sort: Bool?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, got \(limit)") }
        if pattern == nil && family == nil { throw ValidationError("give a PATTERN or --family F") }
        if pattern != nil && family != nil { throw ValidationError("give a PATTERN or --family F, not both") }
        if family == nil && !params.isEmpty { throw ValidationError("--param needs --family") }
    }

    func execute(_ context: CommandContext) throws {
        let target: InvalidationTarget
        if let family {
            target = try InvalidationTarget.family(family, params: params, in: context.keyspace)
        } else {
            target = .pattern(RedisCLIText.bytes(fromArgument: pattern ?? ""))
        }
        let cluster = try context.redisTopology.cluster()
        // A walk that only reads: a replica with --read-from replica (on a cluster: its primaries).
        let redis = cluster == nil ? try context.redisForReading().connection : nil
        let output = context.output
        let terminal = output.terminal.stdoutIsTTY
        let sorted = sort ?? terminal
        let writer = output.beginList()
        func write(_ key: [UInt8]) {
            writer.append(.string(RedisCLIText.jsonString(key)), text: RedisCLIText.line(key, terminal: terminal))
            if terminal && !sorted { writer.flush() }
        }
        var found: [[UInt8]] = []
        let emit: ([UInt8]) -> Void = sorted ? { found.append($0) } : write
        var outcome = KeyLister.Outcome(listed: 0, scanned: 0, limitReached: false, interrupted: false)
        var walked: Int?
        switch target {
        case .key(let name):
            // Every parameter fixed: one key, looked up by name.
            let exists = try redis?.command(["EXISTS", name]) ?? cluster?.command(key: name, ["EXISTS", name])
            if limit != 0, exists?.int == 1 {
                emit(name)
                outcome.listed = 1
            }
        case .pattern, .selector:
            // SCAN visits every key of the database whatever the pattern.
            if let redis {
                walked = try redis.command(["DBSIZE"]).int.map(Int.init)
                outcome = try KeyLister(redis: redis).list(
                    pattern: target.scanPattern ?? [], limit: limit, accept: { target.matches($0) }, body: emit)
            } else if let cluster {
                outcome = try ClusterKeyLister(cluster: cluster).list(
                    pattern: target.scanPattern ?? [], limit: limit, accept: { target.matches($0) }, body: emit)
            }
        }
        if sorted {
            found.sort { $0.lexicographicallyPrecedes($1) }
            var previous: [UInt8]?
            for key in found where key != previous {
                write(key)
                previous = key
            }
        }
        writer.finish()
        // A cluster has one database, 0.
        let database = redis.map { "db\($0.url.database)" } ?? "the cluster"
        if outcome.listed == 0 && !outcome.interrupted && limit != 0 {
            let what = walked.map { " in \(database) (\(countOf($0, "key")) walked)" } ?? " in \(database)"
            switch target {
            case .key(let name): output.note("no key '\(KeyText.escaped(name))'\(what)")
            case .pattern(let pattern): output.note("no key matches '\(KeyText.escaped(pattern))'\(what)")
            case .selector(let selector):
                output.note("no key of \(selector.family.name) matches '\(KeyText.escaped(selector.pattern))'\(what)")
            }
        } else if output.terminal.stderrIsTTY || outcome.interrupted {
            let more = outcome.limitReached ? " (stopped at --limit)" : ""
            output.note(output.errorStyle.dim("\(countOf(outcome.listed, "key"))\(more)"))
        }
        if outcome.interrupted {
            output.note("interrupted")
            throw ExitCode(ErrorCategory.interrupted.exitCode)
        }
    }
}
