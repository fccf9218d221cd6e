import ArgumentParser

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Warm, inspect and invalidate the Redis cache.",
        subcommands: [CacheWarmCommand.self])
}
