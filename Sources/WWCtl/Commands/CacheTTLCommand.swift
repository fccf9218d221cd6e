import ArgumentParser
import CacheOps
import Support

struct CacheTTLCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "ttl",
        abstract: "Read, set or remove the TTL of named keys, against their family's policy.",
        discussion: """
            Example:
              wwctl cache ttl product:42 product:43 --set 600

            Each KEY is the whole key as stored (as `cache keys` prints it); a KEY in double \
            quotes is read with redis-cli's escapes ("bin:\\xff"). Without --set or --persist \
            the TTLs are shown. --set SECONDS sets each existing key's TTL (EXPIRE); --persist \
            removes it (PERSIST). A TTL above the family's policy, or no TTL in a family that \
            needs one, is done as asked and warned about on stderr. Keys that do not exist are \
            left alone and reported: exit 1 when any is missing.

            JSON: an array of {key, family, exists, previousTtlMs, ttlMs, changed, \
            ttlPolicySeconds, againstPolicy}; ttlMs -1 is no TTL, -2 no key. NDJSON: one key \
            per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The keys, as stored.", valueName: "key"))
    var keys: [String] = []

    @Option(help: ArgumentHelp("Set each key's TTL to SECONDS.", valueName: "seconds"))
    var set: Int?

    @Flag(help: "Remove each key's TTL.")
    var persist = false

    func validate() throws {
        if keys.isEmpty { throw ValidationError("give at least one KEY") }
        if set != nil && persist { throw ValidationError("give --set SECONDS or --persist, not both") }
        if let set, set < 1 { throw ValidationError("--set must be at least 1 second, got \(set)") }
    }

    func execute(_ context: CommandContext) throws {
        let change: KeyTTLs.Change = set.map { .expire(seconds: $0) } ?? (persist ? .persist : .none)
        let names = keys.map(RedisCLIText.bytes(fromArgument:))
        let results = try KeyTTLs(redis: try context.redis(), keyspace: context.keyspace).apply(change, to: names)
        for result in results where result.againstPolicy && result.changed {
            let policy = result.ttlPolicySeconds.map { "\($0) s" } ?? "none"
            context.output.warning("\(RedisCLIText.line(result.key, terminal: false)): TTL \(ttlDisplay(ms: result.ttlMs)) is against \(result.parsed.family?.name ?? "its family")'s policy (\(policy))")
        }
        try context.output.emit(CacheTTLResult(changes: results))
        let missing = results.filter { !$0.exists }
        if !missing.isEmpty {
            StandardStreams.writeErr("no key \(missing.map { RedisCLIText.line($0.key, terminal: false) }.joined(separator: ", ")) in \(context.settings.redisURL.value.masked)\n")
            throw ExitCode(ErrorCategory.negative.exitCode)
        }
    }
}
