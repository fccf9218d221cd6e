import Keyspace
import Support

struct FamiliesResult: Renderable {
    struct Family: Encodable {
        struct Parameter: Encodable {
            var name: String
            var kind: String
        }

        var name: String
        var pattern: String
        var ttlSeconds: Int?
        var tier: String
        var warmable: Bool
        var ttlPolicy: String
        var scanPattern: String
        var parameters: [Parameter]
        var valueShape: String
        var warmableFrom: String?
        var notWarmableBecause: String?
        var staleOn: [String]
        var summary: String
    }

    var families: [Family]

    init(_ keyspace: BoundKeyspace) {
        families = keyspace.registry.families.map { family in
            var from: String?
            var because: String?
            switch family.warmability {
            case .warmable(let source): from = source
            case .notWarmable(let reason): because = reason
            }
            return Family(
                name: family.name, pattern: family.pattern, ttlSeconds: family.ttl.maxSeconds,
                tier: family.tier.rawValue, warmable: family.warmability.isWarmable,
                ttlPolicy: family.ttl.description,
                scanPattern: (try? keyspace.selector(family))?.patternText ?? family.pattern,
                parameters: family.parameters.map { .init(name: $0.name, kind: $0.kind.name) },
                valueShape: family.valueShape, warmableFrom: from, notWarmableBecause: because,
                staleOn: family.staleOn.map(\.rawValue), summary: family.summary)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(families)
    }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("FAMILY", truncatable: false), .init("PATTERN"), .init("TTL"), .init("TIER", truncatable: false),
            .init("WARMABLE"),
        ])
        for family in families {
            table.append(
                family.name, family.pattern, family.ttlPolicy, family.tier,
                family.warmable ? "yes" : "no (\(family.notWarmableBecause ?? ""))")
        }
        return table.render(width: context.width, style: context.style)
    }
}
