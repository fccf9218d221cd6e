import ArgumentParser

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Warm, inspect, invalidate and lint the Redis cache against the keyspace registry.",
        subcommands: [CacheWarmCommand.self, CacheLintCommand.self])
}
