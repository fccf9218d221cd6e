import CacheOps
import Support

/// `top hot`: the ranking with a bar per key on a terminal, then one row per family.
struct TopHotResult: Renderable {
    var report: HotKeysReport

    func renderText(_ context: RenderContext) -> String {
        var text = ""
        if report.overall.isEmpty {
            text += "no keys\n"
        } else {
            var table = TextTable([.init("KEY"), .init("FAMILY"), .init("FREQ", .right), .init("")])
            let most = Double(report.overall.first?.frequency ?? 0)
            for key in report.overall {
                table.append(RedisCLIText.line(key.key, terminal: false), key.family?.name ?? key.kind, String(key.frequency),
                             bar(Double(key.frequency), of: most, width: 16, unicode: context.stdoutIsTTY))
            }
            text += table.render(width: context.width)
        }
        if !report.families.isEmpty {
            var table = TextTable([
                .init("FAMILY"), .init("KEYS", .right), .init("MAX FREQ", .right), .init("MEAN FREQ", .right), .init("HOTTEST"),
            ])
            for family in report.families {
                table.append(family.family?.name ?? "(no family)", grouped(family.keys), String(family.frequencyMax),
                             fixedDecimal(family.frequencyMean, digits: 1),
                             family.top.first.map { RedisCLIText.line($0.key, terminal: false) } ?? "-")
            }
            text += "\n" + table.render(width: context.width)
        }
        return text + "\(grouped(report.keysScanned)) keys walked" + (report.complete ? "" : " (a sample)")
            + "; maxmemory-policy \(report.policy)\n"
    }

    func ndjsonValues() throws -> [JSONValue] {
        try report.overall.map { try JSONValueEncoder().encode(KeyJSON(key: $0)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.policy, forKey: .policy)
        try c.encode(report.keysScanned, forKey: .keysScanned)
        try c.encode(report.complete, forKey: .complete)
        try c.encode(report.overall.map(KeyJSON.init), forKey: .keys)
        try c.encode(report.families.map(FamilyJSON.init), forKey: .families)
    }

    enum CodingKeys: String, CodingKey { case policy, keysScanned, complete, keys, families }

    struct KeyJSON: Encodable {
        var key: HotKey

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RedisCLIText.jsonString(key.key), forKey: .key)
            try c.encode(key.family?.name, forKey: .family)
            try c.encode(key.kind, forKey: .kind)
            try c.encode(key.frequency, forKey: .frequency)
        }

        enum CodingKeys: String, CodingKey { case key, family, kind, frequency }
    }

    struct FamilyJSON: Encodable {
        var family: FamilyHeat

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(family.family?.name, forKey: .name)
            try c.encode(family.keys, forKey: .keys)
            try c.encode(family.frequencyMax, forKey: .frequencyMax)
            try c.encode((family.frequencyMean * 100).rounded() / 100, forKey: .frequencyMean)
            try c.encode(family.top.map(KeyJSON.init), forKey: .top)
        }

        enum CodingKeys: String, CodingKey { case name, keys, frequencyMax, frequencyMean, top }
    }
}
