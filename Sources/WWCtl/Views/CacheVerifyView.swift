import CacheOps
import Support

/// `cache verify`: a row per family with a bar of its matching share, then the findings.
struct CacheVerifyResult: Renderable {
    var report: VerifyReport

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("FAMILY"), .init("SAMPLED", .right), .init("MATCHING", .right), .init("STALE", .right),
            .init("ORPHANED", .right), .init("TTL > POLICY", .right), .init("DELETED", .right), .init(""),
        ])
        for family in report.families {
            let chart = bar(Double(family.matching), of: Double(family.sampled), width: 10, unicode: context.stdoutIsTTY)
            table.append(
                family.family, grouped(family.sampled), grouped(family.matching),
                family.stale > 0 ? context.style.red(grouped(family.stale)) : "0",
                family.orphaned > 0 ? context.style.yellow(grouped(family.orphaned)) : "0",
                grouped(family.ttlAbovePolicy), report.fixed ? grouped(family.deleted) : "-", chart)
        }
        var text = table.render(width: context.width)
        for family in report.families {
            for finding in family.findings.prefix(context.verbose ? Int.max : 5) {
                var line = "\(family.family) \(RedisCLIText.line(finding.key, terminal: false)): \(finding.status.rawValue)"
                if finding.ttlAbovePolicy { line += ", TTL \(ttlDisplay(ms: finding.ttlMs)) above policy" }
                text += line + "\n"
                for difference in finding.differences.prefix(5) {
                    text += "    \(difference.field ?? "value"): \(short(difference.cached)) → \(short(difference.expected))\n"
                }
            }
            if !context.verbose && family.findings.count > 5 {
                text += "  … and \(family.findings.count - 5) more of \(family.family) (-v or -o json for all)\n"
            }
        }
        text += "\(grouped(report.stale)) stale, \(grouped(report.orphaned)) orphaned; \(grouped(report.keysScanned)) keys scanned"
            + (report.fixed ? "; stale and orphaned keys deleted" : "") + "\n"
        return text
    }

    private func short(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        let text = value.compactText  // JSON text: control characters are escaped
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    func ndjsonValues() throws -> [JSONValue] {
        try report.families.map { try JSONValueEncoder().encode(FamilyJSON(family: $0)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.keysScanned, forKey: .keysScanned)
        try c.encode(report.stale, forKey: .stale)
        try c.encode(report.orphaned, forKey: .orphaned)
        try c.encode(report.fixed, forKey: .fixed)
        try c.encode(report.families.map { FamilyJSON(family: $0) }, forKey: .families)
    }

    enum CodingKeys: String, CodingKey { case keysScanned, stale, orphaned, fixed, families }

    struct FamilyJSON: Encodable {
        var family: FamilyVerification

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(family.family, forKey: .family)
            try c.encode(family.sampled, forKey: .sampled)
            try c.encode(family.matching, forKey: .matching)
            try c.encode(family.stale, forKey: .stale)
            try c.encode(family.orphaned, forKey: .orphaned)
            try c.encode(family.ttlAbovePolicy, forKey: .ttlAbovePolicy)
            try c.encode(family.deleted, forKey: .deleted)
            try c.encode(family.findings.map(FindingJSON.init), forKey: .findings)
        }

        enum CodingKeys: String, CodingKey { case family, sampled, matching, stale, orphaned, ttlAbovePolicy, deleted, findings }
    }

    struct FindingJSON: Encodable {
        var finding: VerifiedKey

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RedisCLIText.jsonString(finding.key), forKey: .key)
            try c.encode(finding.status.rawValue, forKey: .status)
            try c.encode(finding.ttlMs, forKey: .ttlMs)
            try c.encode(finding.ttlAbovePolicy, forKey: .ttlAbovePolicy)
            try c.encode(finding.differences.map(DifferenceJSON.init), forKey: .differences)
        }

        enum CodingKeys: String, CodingKey { case key, status, ttlMs, ttlAbovePolicy, differences }
    }

    struct DifferenceJSON: Encodable {
        var difference: VerifiedKey.FieldDifference

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(difference.field, forKey: .field)
            try c.encode(difference.cached, forKey: .cached)
            try c.encode(difference.expected, forKey: .expected)
        }

        enum CodingKeys: String, CodingKey { case field, cached, expected }
    }
}
