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

            Examples:
              wwctl cache lint
              wwctl cache lint --max-value-bytes 100000 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Warn about values using more than N bytes (default 524288).", valueName: "n"))
    var maxValueBytes: Int = KeyspaceLint.defaultMaxValueBytes

    @Option(help: ArgumentHelp("List at most N findings (default 1000); counts stay complete.", valueName: "n"))
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
            connection: redis, prefix: context.keyPrefix, maxValueBytes: maxValueBytes, maxFindings: maxFindings
        ) { walked in
            progress.update("\(grouped(walked)) keys")
        }
        progress.finish()
        try context.output.emit(LintResult(report, database: redis.url.database, readFrom: reader.source))
        if report.walk.interrupted {
            context.output.note("interrupted after \(grouped(report.walk.keys)) keys; the findings cover those only")
            throw ExitCode(ErrorCategory.interrupted.exitCode)
        }
        if report.errors > 0 { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}

struct LintResult: Renderable {
    struct Finding: Encodable {
        var severity: LintFinding.Severity
        var rule: String
        var key: String
        var message: String
    }

    struct Rule: Encodable {
        var rule: String
        var severity: LintFinding.Severity
        var count: Int
    }

    var findings: [Finding]
    var errors: Int
    var warnings: Int
    var truncated: Bool
    var rules: [Rule]
    var database: Int
    var scannedKeys: Int
    var complete: Bool
    var lookupsAdded: Int
    var maxValueBytes: Int
    /// The server walked (a replica with --read-from replica) and its lag.
    var readFrom: RedisReadSource

    init(_ report: LintReport, database: Int, readFrom: RedisReadSource) {
        self.readFrom = readFrom
        findings = report.findings.map { Finding(severity: $0.severity, rule: $0.rule, key: $0.key, message: $0.message) }
        errors = report.errors
        warnings = report.warnings
        truncated = report.truncated
        rules = LintRule.all.compactMap { rule, severity in
            report.byRule[rule].map { Rule(rule: rule, severity: severity, count: $0) }
        }
        self.database = database
        scannedKeys = report.walk.keys
        complete = report.walk.complete
        lookupsAdded = report.walk.lookups
        maxValueBytes = report.maxValueBytes
    }

    func renderText(_ context: RenderContext) -> String {
        var text = ""
        if !findings.isEmpty {
            var table = TextTable([.init("SEVERITY", truncatable: false), .init("RULE", truncatable: false), .init("KEY"), .init("MESSAGE")])
            for finding in findings {
                let severity = finding.severity == .error
                    ? context.style.red(finding.severity.rawValue) : context.style.yellow(finding.severity.rawValue)
                table.append(severity, finding.rule, finding.key, finding.message)
            }
            text += table.render(width: context.width)
            if truncated {
                text += "(\(grouped(findings.count)) of \(grouped(errors + warnings)) findings shown; --max-findings raises the limit)\n"
            }
            text += "\n"
        }
        let counts = rules.map { "\($0.rule) \(grouped($0.count))" }.joined(separator: ", ")
        if errors + warnings == 0 {
            text += "no findings in \(grouped(scannedKeys)) keys of db\(database)\n"
        } else {
            text += "\(grouped(errors)) \(errors == 1 ? "error" : "errors"), \(grouped(warnings)) "
                + "\(warnings == 1 ? "warning" : "warnings") in \(grouped(scannedKeys)) keys of db\(database) (\(counts))\n"
        }
        return text
    }
}
