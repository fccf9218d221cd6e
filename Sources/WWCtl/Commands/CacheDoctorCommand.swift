import ArgumentParser
import CacheOps
import Support

struct CacheDoctorCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "One report on the cache's health, each finding with its evidence and what to do.",
        discussion: """
            Example:
              wwctl cache doctor --sample 500000

            Checks: maxmemory (none set; nearly full under noeviction is critical), the \
            eviction policy against the keys' TTLs (allkeys-* evicts keys without a TTL too, \
            noeviction fails writes; every cache family has a TTL, so volatile-* fits), \
            fragmentation above --max-fragmentation (from 64 MB used), evictions during \
            --window seconds, the server's hit rate against --min-hit-rate (Redis counts hits \
            per server, not per family: the default is the lowest tier target, 70 %), and \
            from one walk of at most --sample keys (as top keys walks): keys without TTL in \
            families that need one, TTLs above policy, the biggest keys against \
            --max-value-bytes; and slow SCAN or KEYS in the slow log.

            Exit 0 when every finding is OK, 1 when some is a WARNING, 2 when some is \
            CRITICAL, 3 when Redis cannot be examined (UNKNOWN), as health does.

            JSON: status, keysWalked, findings (array of {check, status, message, evidence, \
            recommendation}). NDJSON: one finding per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Keys walked for the per-family checks.", valueName: "n"))
    var sample: Int = 100_000

    @Option(help: ArgumentHelp("Seconds between the two reads that count evictions.", valueName: "seconds"))
    var window: Double = 1

    @Option(name: .customLong("min-hit-rate"), help: ArgumentHelp("The hit rate below which to warn.", valueName: "ratio"))
    var minHitRate: Double = 0.7

    @Option(name: .customLong("max-fragmentation"), help: ArgumentHelp("The fragmentation ratio above which to warn.", valueName: "ratio"))
    var maxFragmentation: Double = 1.5

    @Option(name: .customLong("max-value-bytes"), help: ArgumentHelp("The size limit keys are checked against.", valueName: "n"))
    var maxValueBytes: Int = KeyspaceLint.defaultMaxValueBytes

    func validate() throws {
        if sample < 1 { throw ValidationError("--sample must be at least 1, got \(sample)") }
        if !(window >= 0 && window <= 60) { throw ValidationError("--window must be between 0 and 60 seconds, got \(formatSeconds(window))") }
        if !(minHitRate >= 0 && minHitRate <= 1) { throw ValidationError("--min-hit-rate must be between 0 and 1, got \(minHitRate)") }
        if !(maxFragmentation >= 1) { throw ValidationError("--max-fragmentation must be at least 1, got \(maxFragmentation)") }
        if maxValueBytes < 1 { throw ValidationError("--max-value-bytes must be at least 1, got \(maxValueBytes)") }
    }

    func execute(_ context: CommandContext) throws {
        var limits = DoctorLimits()
        limits.sample = sample
        limits.window = window
        limits.minHitRate = minHitRate
        limits.maxFragmentation = maxFragmentation
        limits.maxValueBytes = maxValueBytes
        let report: DoctorReport
        do {
            report = try CacheDoctor(connection: try context.redis(), keyspace: context.keyspace).examine(limits)
        } catch let error as any CategorizedError where error.category == .unavailable {
            context.output.report(error)
            throw ExitCode(HealthStatus.unknown.exitCode)
        }
        try context.output.emit(CacheDoctorResult(report: report))
        throw ExitCode(report.status.exitCode)
    }
}
