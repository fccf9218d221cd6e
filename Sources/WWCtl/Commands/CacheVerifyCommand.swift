import ArgumentParser
import CacheOps
import Support

struct CacheVerifyCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare sampled cached values with what the warm would write now from PostgreSQL.",
        discussion: """
            Example:
              wwctl cache verify --family product --family perm --sample 500

            For every warmable family (or each --family), samples cached keys and computes \
            what cache warm would write for them now, with the warm's own declarations and \
            renderers, reading only their entities' rows from PostgreSQL. Each sampled key is \
            matching, stale (the value differs: the top-level JSON fields that differ are \
            shown), or orphaned (the warm would write no such key: its entity is gone); keys \
            whose TTL is above the family's policy are counted too. Values are compared byte \
            for byte, then as JSON with object members in any order. admin-stats and \
            admin-revenue values are windows up to the time they were computed for (their \
            field to): they are recomputed for that same time, so only a change in the data \
            shows, not the time since.

            Sampling: one SCAN walk (COUNT 1000) over the keys under --key-prefix keeps the \
            first --sample keys of each family in SCAN order (legacy key forms are not \
            sampled) and stops once every family has its sample: for a keyspace that does not \
            change, the same keys every run.

            --fix deletes the stale and orphaned keys by name, bumping their epochs first as \
            cache invalidate does, so that a warm running meanwhile cannot write the old \
            values back. It asks first (--yes answers; without a terminal it refuses unless \
            --yes). Exit 1 when stale or orphaned keys are left (found and not deleted).

            JSON: keysScanned, stale, orphaned, fixed, families (array of {family, sampled, \
            matching, stale, orphaned, ttlAbovePolicy, deleted, findings: [{key, status, ttlMs, \
            ttlAbovePolicy, differences: [{field, cached, expected}]}]}). NDJSON: one family \
            per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(name: .customLong("family"), help: ArgumentHelp("A warmable family to verify (repeatable; default all).", valueName: "family"), completion: ShellCompletions.families)
    var families: [String] = []

    @Option(help: ArgumentHelp("Keys sampled per family.", valueName: "n"))
    var sample: Int = 100

    @Flag(help: "Delete stale and orphaned keys (asks first).")
    var fix = false

    func validate() throws {
        if sample < 1 { throw ValidationError("--sample must be at least 1, got \(sample)") }
    }

    func execute(_ context: CommandContext) throws {
        _ = try CacheVerifier.families(families)
        let verifier = CacheVerifier(postgres: try context.postgres(), redis: try context.redis(), keyspace: context.keyspace)
        var report = try verifier.verify(families: families, sample: sample)
        let doomed = report.stale + report.orphaned
        if fix && doomed > 0 {
            try context.confirm("delete \(doomed) stale or orphaned key\(doomed == 1 ? "" : "s") on \(context.settings.redisURL.value.masked)")
            try verifier.fix(&report)
        }
        try context.output.emit(CacheVerifyResult(report: report))
        if doomed > 0 && !report.fixed { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}
