import CacheOps
import Redis
import Support

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
                let severity = TextTable.Cell(
                    finding.severity.rawValue, paint: finding.severity == .error ? context.style.red : context.style.yellow)
                table.append(cells: [severity, .init(finding.rule), .init(finding.key), .init(finding.message)])
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
