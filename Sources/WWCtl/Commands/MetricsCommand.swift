import ArgumentParser
import CacheOps
import Support

struct MetricsCommand: WWCommand {
    static let printsPrometheus = true

    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Redis hit rate, memory, evictions and keys; per key family with --by-family.",
        discussion: """
            Examples:
              wwctl metrics
              wwctl metrics --watch 1 --count 10
              wwctl metrics -o prometheus > /var/lib/node_exporter/wwctl.prom.tmp && \\
                mv /var/lib/node_exporter/wwctl.prom.tmp /var/lib/node_exporter/wwctl.prom
              wwctl metrics --by-family --sample 100000

            Without options: one INFO call. The hit rate is keyspace_hits / (hits + misses) since \
            the server started or CONFIG RESETSTAT, null before the first lookup. PostgreSQL is \
            never touched.

            --watch SECONDS prints one line per interval with what happened in it: hit rate, \
            hits, misses, evictions, expirations and commands per second, memory and keys \
            (wwctl's own INFO calls are not counted as commands). It runs until Ctrl-C (exit 130) \
            or for --count intervals (exit 0). With -o json or ndjson each interval is one JSON \
            object on a line of its own.

            -o prometheus prints the text exposition format for node_exporter's textfile \
            collector (metric names start with wwctl_, counters end in _total, per-database key \
            counts carry db="N", per-family figures family="NAME").

            --by-family walks the keyspace of the selected database with SCAN (COUNT 1000) and \
            reports, per key family: keys, keys with a TTL, TTL min/median/max against the \
            family's policy, and memory. Each key costs one PTTL, pipelined with the walk on a \
            second connection; memory comes from MEMORY USAGE on up to --memory-sample keys per family (the first \
            ones SCAN returns, which is hash order) and is extrapolated. Keys of no family are \
            grouped by their first segments. --sample N stops after N keys and extrapolates \
            counts to the database's size. SCAN may return a key twice when the server rehashes \
            during the walk; counts are not deduplicated.

            What Redis 7.0 allows: SCAN and MEMORY USAGE neither count as lookups nor touch a \
            key's LRU/LFU data. PTTL does not touch LRU/LFU either (it looks keys up with \
            LOOKUP_NOTOUCH), but 7.0 has no way to read a TTL without counting the lookup: \
            --by-family adds one keyspace hit per key it reads (a miss for a key that vanished \
            during the walk). The figures above the family table are read before the walk, so \
            they are not affected; the result says how many lookups the walk added \
            (lookupsAdded) so a monitor can discount them.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Print one line of deltas every SECONDS until Ctrl-C.", valueName: "seconds"))
    var watch: Double?

    @Option(help: ArgumentHelp("With --watch: stop after N intervals.", valueName: "n"))
    var count: Int?

    @Flag(help: "Walk the keyspace and report keys, TTLs and memory per key family.")
    var byFamily = false

    @Option(help: ArgumentHelp("With --by-family: walk only about N keys and extrapolate.", valueName: "n"))
    var sample: Int?

    // Optional rather than `= 1000`: ArgumentParser renders a default value at every start.
    @Option(name: .customLong("memory-sample"), help: ArgumentHelp("With --by-family: MEMORY USAGE on at most N keys per family (default 1000).", valueName: "n"))
    var memorySampleOption: Int?

    var memorySample: Int { memorySampleOption ?? 1000 }

    func validate() throws {
        if let watch, !(watch > 0 && watch <= 86_400) {
            throw ValidationError("--watch must be between 0 and 86400 seconds, got \(watch)")
        }
        if let count {
            guard watch != nil else { throw ValidationError("--count needs --watch") }
            guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        }
        if watch != nil, byFamily { throw ValidationError("--watch and --by-family cannot be used together") }
        if let sample {
            guard byFamily else { throw ValidationError("--sample needs --by-family") }
            guard sample >= 1 else { throw ValidationError("--sample must be at least 1, got \(sample)") }
        }
        guard memorySample >= 0 else { throw ValidationError("--memory-sample must be 0 or more, got \(memorySample)") }
    }

    func execute(_ context: CommandContext) throws {
        if let watch {
            if context.output.format == .prometheus {
                throw WWError.usage("--watch prints a line per interval; -o prometheus is for a single reading")
            }
            try runWatch(context, interval: watch)
            return
        }
        if let cluster = try context.redisTopology.cluster(), !byFamily {
            let metrics = try ClusterMetrics.read(from: cluster)
            try context.output.emit(MetricsResult(metrics: metrics.total, cluster: metrics))
            return
        }
        let redis = try context.redis()
        // Read before the walk, whose PTTL calls count as lookups.
        let metrics = try RedisMetrics.read(from: redis)
        guard byFamily else {
            try context.output.emit(MetricsResult(metrics: metrics))
            return
        }
        // The walk only reads: a replica with --read-from replica (INFO above stays the primary's).
        let reader = try context.redisForReading()
        let progress = context.output.progress("walking the keyspace")
        let families = try FamilyMetrics.collect(
            connection: reader.connection, keyspace: context.keyspace, sample: sample, memorySample: memorySample
        ) { walked in
            progress.update("\(grouped(walked)) keys")
        }
        progress.finish()
        try context.output.emit(MetricsResult(metrics: metrics, families: families, readFrom: reader.source))
        if families.walk.interrupted {
            context.output.note("interrupted after \(countOf(families.walk.keys, "key")); the figures cover those only")
            throw ExitCode(ErrorCategory.interrupted.exitCode)
        }
    }
}
