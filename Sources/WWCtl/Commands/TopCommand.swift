import ArgumentParser
import CacheOps
import Keyspace
import Support

extension TopKeysOrder: ExpressibleByArgument {}

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "The biggest and the hottest keys, overall and per key family.",
        discussion: """
            Example:
              wwctl top keys --by memory --limit 20
            """,
        subcommands: [TopKeysCommand.self, TopHotCommand.self])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

struct TopKeysCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The biggest keys (memory or length) or those closest to expiring, overall and per family, in one walk.",
        discussion: """
            Example:
              wwctl top keys --by memory --limit 20
              wwctl top keys --family product-variants --by length
              wwctl top keys --by ttl -o json

            One walk of the database (SCAN COUNT 1000 with PTTL pipelined on a second \
            connection, as metrics --by-family walks; with --read-from replica, on the \
            replica). --by memory reads MEMORY USAGE of every key in the same pipeline (its \
            default estimate, SAMPLES 5); --by length reads TYPE, then STRLEN, LLEN, HLEN, \
            SCARD, ZCARD or XLEN by type, in two pipelined round trips per thousand keys; --by \
            ttl ranks the keys closest to expiring, and lists keys without a TTL in families \
            that need one. Only the ranked keys are kept: memory stays flat whatever the \
            keyspace's size. The ranked keys are then measured again: type, length and exact \
            memory (MEMORY USAGE … SAMPLES 0).

            Each ranked key shows its family's TTL policy, whether its TTL is above it, and \
            whether its memory is above --max-value-bytes (the size limit cache lint applies to \
            every family, 512 KiB by default). --sample N stops after N keys. --family F ranks \
            that family's keys only.

            JSON: by, keysScanned, complete, maxValueBytes, keys (array of {key, family, kind, \
            type, memoryBytes, length, ttlMs, ttlPolicySeconds, aboveTtlPolicy, \
            aboveSizeLimit}), families (array of {name, keys, memoryBytes, withoutTtl, \
            aboveTtlPolicy, top: [same as keys]}; name null for keys of no family), \
            withoutRequiredTtl (with --by ttl: keys without a TTL in families that need one, \
            else empty), lookupsAdded (PTTL lookups the walk added to keyspace_hits). NDJSON: \
            one ranked key per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Rank by memory, length or ttl.", valueName: "memory|length|ttl"))
    var by: TopKeysOrder = .memory

    @OptionGroup var ranking: TopRankingOptions

    @Option(name: .customLong("max-value-bytes"), help: ArgumentHelp("The size limit keys are checked against.", valueName: "n"))
    var maxValueBytes: Int = KeyspaceLint.defaultMaxValueBytes

    func validate() throws {
        if maxValueBytes < 1 { throw ValidationError("--max-value-bytes must be at least 1, got \(maxValueBytes)") }
    }

    func execute(_ context: CommandContext) throws {
        let familyFilter = try ranking.family.map { try context.keyspace.registry.requireFamily(named: $0) }
        let reader = try context.redisForReading()
        let report = try TopKeys(connection: reader.connection, keyspace: context.keyspace)
            .rank(by: by, family: familyFilter, limit: ranking.limit, perFamily: ranking.perFamily, sample: ranking.sample)
        try context.output.emit(TopKeysResult(report: report, maxValueBytes: maxValueBytes))
        if report.walk.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}

struct TopHotCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "hot",
        abstract: "The hottest keys by Redis' LFU counter (OBJECT FREQ), overall and per family.",
        discussion: """
            Example:
              wwctl top hot --family product --limit 20

            Redis counts accesses per key only under an LFU maxmemory-policy (allkeys-lfu, \
            volatile-lfu): then this walks the keys under --key-prefix (SCAN COUNT 1000, one \
            pipelined OBJECT FREQ per batch, which does not touch the counters) and ranks \
            them. The counter is logarithmic (0-255, lfu-log-factor) and decays while a key \
            is idle (lfu-decay-time): it orders keys, it does not count reads. Under any \
            other policy there is no counter to read: the command says so and exits 1.

            JSON: policy, keysScanned, complete, keys (array of {key, family, kind, \
            frequency}), families (array of {name, keys, frequencyMax, frequencyMean, top}; \
            name null for keys of no family). NDJSON: one ranked key per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @OptionGroup var ranking: TopRankingOptions

    func execute(_ context: CommandContext) throws {
        let familyFilter = try ranking.family.map { try context.keyspace.registry.requireFamily(named: $0) }
        let reader = try context.redisForReading()
        let hot = HotKeys(redis: reader.connection, keyspace: context.keyspace)
        guard let policy = hot.policy() else {
            throw WWError.unavailable("\(reader.connection.address): CONFIG GET maxmemory-policy was refused; top hot needs to know the policy")
        }
        guard HotKeys.isLFU(policy) else {
            throw WWError.negative("maxmemory-policy is \(policy): Redis keeps access counters only under allkeys-lfu or volatile-lfu, so there is nothing to rank")
        }
        let report = try hot.rank(policy: policy, family: familyFilter, limit: ranking.limit, perFamily: ranking.perFamily, sample: ranking.sample)
        try context.output.emit(TopHotResult(report: report))
    }
}

/// The ranking options `top keys` and `top hot` share.
struct TopRankingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Rank one family's keys only.", valueName: "family"), completion: ShellCompletions.families)
    var family: String?

    @Option(help: ArgumentHelp("Keys ranked overall.", valueName: "n"))
    var limit: Int = 10

    @Option(name: .customLong("per-family"), help: ArgumentHelp("Keys ranked per family.", valueName: "n"))
    var perFamily: Int = 3

    @Option(help: ArgumentHelp("Stop after N keys.", valueName: "n"))
    var sample: Int?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        if perFamily < 0 { throw ValidationError("--per-family must be 0 or more, got \(perFamily)") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1, got \(sample)") }
    }
}
