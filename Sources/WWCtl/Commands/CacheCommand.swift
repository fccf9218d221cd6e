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
            CacheTTLCommand.self,
            CacheExportCommand.self,
            CacheImportCommand.self,
            CacheVerifyCommand.self,
            CacheDoctorCommand.self,
        ])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

struct CacheFamiliesCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "families",
        abstract: "The key-family registry: every family's key pattern, TTL, tier and whether it can be warmed.",
        discussion: """
            Example:
              wwctl cache families -o json | jq -r '.[] | select(.warmable) | .name'

            JSON: an array of {name, pattern, ttlSeconds, tier, warmable} plus ttlPolicy (the \
            policy in words), scanPattern (with --key-prefix applied), parameters, valueShape, \
            warmableFrom, staleOn and summary. ttlSeconds is null for jwt-blacklist (its keys \
            live until the token expires) and the longest TTL where it depends on a parameter \
            (admin-stats: 300 s for today, else 3600 s).
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
