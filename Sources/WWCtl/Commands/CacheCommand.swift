import ArgumentParser
import Keyspace
import Support

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "The cache against the keyspace registry: families, keys, values; invalidate, warm, lint.",
        discussion: """
            Example:
              wwctl cache invalidate --family product --param productId=17 --dry-run
            """,
        subcommands: [
            CacheFamiliesCommand.self,
            CacheKeysCommand.self,
            CacheInspectCommand.self,
            CacheInvalidateCommand.self,
            CacheWarmCommand.self,
            CacheLintCommand.self,
        ])
}

struct CacheFamiliesCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "families",
        abstract: "The key-family registry: every family's key pattern, TTL, tier and whether it can be warmed.",
        discussion: """
            JSON: an array of {name, pattern, ttlSeconds, tier, warmable} plus ttlPolicy (the \
            policy in words), scanPattern (with --key-prefix applied), parameters, valueShape, \
            warmableFrom, staleOn and summary. ttlSeconds is null for jwt-blacklist (its keys \
            live until the token expires) and the longest TTL where it depends on a parameter \
            (admin-stats: 300 s for today, else 3600 s).

            Example:
              wwctl cache families -o json | jq -r '.[] | select(.warmable) | .name'
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Flag(help: "Print the registry as the README's Markdown table.")
    var markdown = false

    func execute(_ context: CommandContext) throws {
        if markdown {
            StandardStreams.writeOut(KeyspaceRegistry.standard.markdownTable())
            return
        }
        try context.output.emit(FamiliesResult(context.keyspace))
    }
}

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
