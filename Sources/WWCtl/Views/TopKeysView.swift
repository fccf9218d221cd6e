import CacheOps
import Keyspace
import Support

/// `top keys`: the ranking with a bar per key on a terminal, then one row per family.
struct TopKeysResult: Renderable {
    var report: TopKeysReport
    var maxValueBytes: Int

    func renderText(_ context: RenderContext) -> String {
        let walk = report.walk
        var text = ""
        text += keyTable(report.overall, context)
        if report.order == .ttl && !report.withoutRequiredTTL.isEmpty {
            text += "\nkeys without a TTL in families that need one:\n" + keyTable(report.withoutRequiredTTL, context)
        }
        if !report.families.isEmpty {
            var table = TextTable([
                .init("FAMILY"), .init("KEYS", .right), .init("MEMORY", .right), .init("NO TTL", .right),
                .init("ABOVE TTL POLICY", .right), .init("POLICY"), .init("TOP KEY"),
            ])
            for family in report.families {
                let top = family.top.first
                table.append(
                    family.family?.name ?? "(no family)", grouped(family.keys), family.memoryBytes.map(humanBytes) ?? "-",
                    grouped(family.withoutTTL), grouped(family.aboveTTLPolicy),
                    family.family.map { $0.ttl.description } ?? "-",
                    top.map { RedisCLIText.line($0.key, terminal: false) + " " + measure($0) } ?? "-")
            }
            text += "\n" + table.render(width: context.width)
        }
        text += "\(grouped(walk.keys)) keys walked" + (walk.complete ? "" : walk.interrupted ? " (interrupted)" : " (a sample)")
            + (walk.lookups > 0 ? "; the walk added \(grouped(walk.lookups)) lookups to keyspace_hits" : "") + "\n"
        return text
    }

    private func measure(_ key: RankedKey) -> String {
        switch report.order {
        case .memory: key.memoryBytes.map(humanBytes) ?? "-"
        case .length: key.length.map { grouped(Int($0)) } ?? "-"
        case .ttl: ttlDisplay(ms: key.pttlMs)
        }
    }

    private func keyTable(_ keys: [RankedKey], _ context: RenderContext) -> String {
        guard !keys.isEmpty else { return "no keys\n" }
        var table = TextTable([
            .init("KEY"), .init("FAMILY"), .init("TYPE"), .init("MEMORY", .right), .init("LENGTH", .right),
            .init("TTL", .right), .init("POLICY"), .init(""),
        ])
        let scores = keys.map { key -> Double in
            switch report.order {
            case .memory: Double(key.memoryBytes ?? 0)
            case .length: Double(key.length ?? 0)
            case .ttl: Double(key.pttlMs)
            }
        }
        let most = scores.max() ?? 0
        for (key, score) in zip(keys, scores) {
            var flags: [String] = []
            if key.aboveTTLPolicy { flags.append(context.style.yellow("TTL above policy")) }
            if (key.memoryBytes ?? 0) > maxValueBytes { flags.append(context.style.yellow("above \(humanBytes(maxValueBytes))")) }
            let chart = report.order == .ttl ? "" : bar(score, of: most, width: 12, unicode: context.stdoutIsTTY)
            table.append(
                RedisCLIText.line(key.key, terminal: false), key.family?.name ?? key.kind, key.type ?? "-",
                key.memoryBytes.map(humanBytes) ?? "-", key.length.map { grouped(Int($0)) } ?? "-", ttlDisplay(ms: key.pttlMs),
                key.family.map { $0.ttl.description } ?? "-", ([chart] + flags).filter { !$0.isEmpty }.joined(separator: " "))
        }
        return table.render(width: context.width)
    }

    func ndjsonValues() throws -> [JSONValue] {
        try report.overall.map { try JSONValueEncoder().encode(KeyJSON($0, maxValueBytes: maxValueBytes)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.order.rawValue, forKey: .by)
        try c.encode(report.walk.keys, forKey: .keysScanned)
        try c.encode(report.walk.complete, forKey: .complete)
        try c.encode(maxValueBytes, forKey: .maxValueBytes)
        try c.encode(report.overall.map { KeyJSON($0, maxValueBytes: maxValueBytes) }, forKey: .keys)
        try c.encode(report.families.map { FamilyJSON($0, maxValueBytes: maxValueBytes) }, forKey: .families)
        try c.encode(report.withoutRequiredTTL.map { KeyJSON($0, maxValueBytes: maxValueBytes) }, forKey: .withoutRequiredTtl)
        try c.encode(report.walk.lookups, forKey: .lookupsAdded)
    }

    enum CodingKeys: String, CodingKey {
        case by, keysScanned, complete, maxValueBytes, keys, families, withoutRequiredTtl, lookupsAdded
    }

    struct KeyJSON: Encodable {
        var key: RankedKey
        var maxValueBytes: Int

        init(_ key: RankedKey, maxValueBytes: Int) {
            self.key = key
            self.maxValueBytes = maxValueBytes
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RedisCLIText.jsonString(key.key), forKey: .key)
            try c.encode(key.family?.name, forKey: .family)
            try c.encode(key.kind, forKey: .kind)
            try c.encode(key.type, forKey: .type)
            try c.encode(key.memoryBytes, forKey: .memoryBytes)
            try c.encode(key.length, forKey: .length)
            try c.encode(key.pttlMs, forKey: .ttlMs)
            try c.encode(key.ttlLimitSeconds, forKey: .ttlPolicySeconds)
            try c.encode(key.aboveTTLPolicy, forKey: .aboveTtlPolicy)
            try c.encode((key.memoryBytes ?? 0) > maxValueBytes, forKey: .aboveSizeLimit)
        }

        enum CodingKeys: String, CodingKey {
            case key, family, kind, type, memoryBytes, length, ttlMs, ttlPolicySeconds, aboveTtlPolicy, aboveSizeLimit
        }
    }

    struct FamilyJSON: Encodable {
        var family: FamilyRanking
        var maxValueBytes: Int

        init(_ family: FamilyRanking, maxValueBytes: Int) {
            self.family = family
            self.maxValueBytes = maxValueBytes
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(family.family?.name, forKey: .name)
            try c.encode(family.keys, forKey: .keys)
            try c.encode(family.memoryBytes, forKey: .memoryBytes)
            try c.encode(family.withoutTTL, forKey: .withoutTtl)
            try c.encode(family.aboveTTLPolicy, forKey: .aboveTtlPolicy)
            try c.encode(family.top.map { KeyJSON($0, maxValueBytes: maxValueBytes) }, forKey: .top)
        }

        enum CodingKeys: String, CodingKey { case name, keys, memoryBytes, withoutTtl, aboveTtlPolicy, top }
    }
}
