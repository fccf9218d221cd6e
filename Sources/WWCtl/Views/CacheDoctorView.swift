import CacheOps
import Support

/// `cache doctor`: one block per finding, the verdict first.
struct CacheDoctorResult: Renderable {
    var report: DoctorReport

    func renderText(_ context: RenderContext) -> String {
        var text = ""
        for finding in report.findings {
            let label: String
            switch finding.status {
            case .ok: label = context.style.green("OK      ")
            case .warning: label = context.style.yellow("WARNING ")
            case .critical: label = context.style.red("CRITICAL")
            case .unknown: label = "UNKNOWN "
            }
            text += "\(label) \(finding.check): \(finding.message)\n"
            for evidence in finding.evidence { text += "         · \(evidence)\n" }
            if let recommendation = finding.recommendation { text += "         → \(recommendation)\n" }
        }
        return text + "\(report.status.label): \(report.findings.filter { $0.status != .ok }.count) of \(report.findings.count) checks need attention; \(grouped(report.keysWalked)) keys walked\n"
    }

    func ndjsonValues() throws -> [JSONValue] {
        try report.findings.map { try JSONValueEncoder().encode(FindingJSON(finding: $0)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.status, forKey: .status)
        try c.encode(report.keysWalked, forKey: .keysWalked)
        try c.encode(report.findings.map(FindingJSON.init), forKey: .findings)
    }

    enum CodingKeys: String, CodingKey { case status, keysWalked, findings }

    struct FindingJSON: Encodable {
        var finding: DoctorFinding

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(finding.check, forKey: .check)
            try c.encode(finding.status, forKey: .status)
            try c.encode(finding.message, forKey: .message)
            try c.encode(finding.evidence, forKey: .evidence)
            try c.encode(finding.recommendation, forKey: .recommendation)
        }

        enum CodingKeys: String, CodingKey { case check, status, message, evidence, recommendation }
    }
}
