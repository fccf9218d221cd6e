import CacheOps
import Support

/// `cache ttl`: a row per key, before and after.
struct CacheTTLResult: Renderable {
    var changes: [KeyTTLChange]

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("KEY"), .init("FAMILY"), .init("BEFORE", .right), .init("TTL", .right), .init("POLICY"), .init(""),
        ])
        for change in changes {
            let note = !change.exists ? context.style.yellow("no such key")
                : change.againstPolicy ? context.style.yellow("against policy") : change.changed ? "changed" : ""
            table.append(
                RedisCLIText.line(change.key, terminal: false), change.parsed.family?.name ?? "-",
                ttlDisplay(ms: change.previousTtlMs), ttlDisplay(ms: change.ttlMs),
                change.parsed.family.map { $0.ttl.description } ?? "-", note)
        }
        return table.render(width: context.width)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        for change in changes { try c.encode(KeyJSON(change: change)) }
    }

    struct KeyJSON: Encodable {
        var change: KeyTTLChange

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RedisCLIText.jsonString(change.key), forKey: .key)
            try c.encode(change.parsed.family?.name, forKey: .family)
            try c.encode(change.exists, forKey: .exists)
            try c.encode(change.previousTtlMs, forKey: .previousTtlMs)
            try c.encode(change.ttlMs, forKey: .ttlMs)
            try c.encode(change.changed, forKey: .changed)
            try c.encode(change.ttlPolicySeconds, forKey: .ttlPolicySeconds)
            try c.encode(change.againstPolicy, forKey: .againstPolicy)
        }

        enum CodingKeys: String, CodingKey { case key, family, exists, previousTtlMs, ttlMs, changed, ttlPolicySeconds, againstPolicy }
    }
}
