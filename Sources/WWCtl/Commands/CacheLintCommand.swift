import ArgumentParser
import CacheOps
import Keyspace
import Redis
import Support

struct CacheLintCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every cached key against the keyspace policy (exit 1 when an error is found).",
        discussion: """
            Examples:
              wwctl cache lint
              wwctl cache lint --max-value-bytes 100000 -o json

            Walks the selected database with SCAN and reads each key's PTTL and MEMORY USAGE.

            Errors (exit 1):
              cached-vendor-balance, cached-payout, cached-payment, cached-balance-transaction
                                  financial data is never cached (vendor:{orgId}:balance, payout:*, …);
                                  vendor:{orgId}:earnings:{month} is the documented exception
              missing-ttl         a key of a family whose policy requires a TTL has none
              ttl-above-policy    a TTL above what the family's policy allows the key
                                  (cache warm's jitter only ever shortens TTLs)
            Warnings (exit 0 when there are only warnings):
              unknown-key         a key of no family (or not under --key-prefix)
              legacy-key-form     a legacy form such as user:{userId}:orgs (canonical: user:orgs:{userId})
              value-too-large     MEMORY USAGE above --max-value-bytes (value, key and overhead)

            Keys are matched after --key-prefix. Binary keys are shown escaped (\\xNN). \
            --max-findings caps the list, never the error and warning counts. Reading a TTL \
            counts as a keyspace hit in Redis 7.0 (one per key); LRU/LFU data is not touched.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Warn about values using more than N bytes.", valueName: "n"))
    var maxValueBytes: Int = KeyspaceLint.defaultMaxValueBytes

    @Option(help: ArgumentHelp("List at most N findings; counts stay complete.", valueName: "n"))
    var maxFindings: Int = KeyspaceLint.defaultMaxFindings

    func validate() throws {
        guard maxValueBytes >= 1 else { throw ValidationError("--max-value-bytes must be at least 1, got \(maxValueBytes)") }
        guard maxFindings >= 0 else { throw ValidationError("--max-findings must be 0 or more, got \(maxFindings)") }
    }

    func execute(_ context: CommandContext) throws {
        let reader = try context.redisForReading()
        let redis = reader.connection
        let progress = context.output.progress("linting")
        let report = try KeyspaceLint.run(
            connection: redis, keyspace: context.keyspace, maxValueBytes: maxValueBytes, maxFindings: maxFindings
        ) { walked in
            progress.update("\(grouped(walked)) keys")
        }
        progress.finish()
        try context.output.emit(LintResult(report, database: redis.url.database, readFrom: reader.source))
        if report.walk.interrupted {
            context.output.note("interrupted after \(countOf(report.walk.keys, "key")); the findings cover those only")
            throw ExitCode(ErrorCategory.interrupted.exitCode)
        }
        if report.errors > 0 { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}
