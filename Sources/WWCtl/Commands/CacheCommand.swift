import ArgumentParser

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Look at the Redis cache against the keyspace registry.",
        subcommands: [CacheLintCommand.self])
}
