import Foundation
import LineEditor
import Redis
import TestSupport
import Testing
@testable import WWCtl

/// Completion from the real command tree, and keys from the shared test Redis (DB 11,
/// this module's own; every test writes under a unique prefix and deletes its keys).
@Suite struct CompleterTests {
    static let database = 11

    /// The test server's URL with this module's database.
    static var redisURL: String {
        var text = TestServers.redisURL
        if let slash = text.lastIndex(of: "/"), !text[..<slash].hasSuffix("/"),
           text[text.index(after: slash)...].allSatisfy(\.isNumber) {
            text = String(text[..<slash])
        }
        return text + "/\(database)"
    }

    private func completer(
        catalog: CommandSpec = CommandCatalog.root, registry: CompletionRegistry = .standard,
        environment: [String: String] = [:], redis: RedisLookup? = nil
    ) async throws -> Completer {
        var environment = environment
        environment["REDIS_URL"] = environment["REDIS_URL"] ?? Self.redisURL
        // No WWCTL_CONFIG, XDG_CONFIG_HOME or HOME: no config file is read.
        let settings = try Settings.resolve(Repl.noFlags, environment: environment)
        return Completer(
            catalog: catalog, registry: registry,
            context: CompletionContext(settings: settings, environment: environment, redis: redis))
    }

    private func plant(_ keys: [String]) throws -> RedisConnection {
        let redis = try RedisConnection(Self.redisURL)
        _ = try redis.pipeline(keys.map { ["SET", $0, "v"] })
        return redis
    }

    private func unplant(_ keys: [String], _ redis: RedisConnection) {
        _ = try? redis.command(["DEL"] + keys.map { $0 as any RedisArgument })
        redis.close()
    }

    // MARK: commands and options

    @Test func commandsComplete() async throws {
        let c = try await completer()
        #expect(c.complete("pi") == CompletionReply(insertion: "ng", candidates: ["ping"], isComplete: true))
        #expect(c.complete("config sh") == CompletionReply(insertion: "ow", candidates: ["show"], isComplete: true))
        #expect(c.complete("'pi") == CompletionReply(insertion: "ng'", candidates: ["ping"], isComplete: true))
        let all = try #require(c.complete(""))
        #expect(Set(all.candidates).isSuperset(of: ["help", "exit", "watch", "use", "timing", "redis", "ping", "config", "repl"]))
        #expect(all.candidates.filter { $0 == "help" }.count == 1)
        #expect(c.complete("frob") == nil)
    }

    @Test func optionsAndTheirValuesComplete() async throws {
        let c = try await completer()
        #expect(c.complete("config show --ou")?.insertion == "tput")
        #expect(c.complete("config show -o ")?.candidates == ["json", "ndjson", "prometheus", "table"])
        #expect(c.complete("config show --output nd") == CompletionReply(insertion: "json", candidates: ["ndjson"], isComplete: true))
        #expect(c.complete("config show --output=j")?.insertion == "son")
        #expect(c.complete("config show --yes --ye") == nil)
        #expect(c.complete("config show --yes --")?.candidates.contains("--yes") == false)
        // A flag takes no value: what follows it is not the flag's value.
        #expect(c.complete("config show --yes j") == nil)
    }

    @Test func replCommandsComplete() async throws {
        let c = try await completer()
        #expect(c.complete("watch 2 con")?.insertion == "fig")
        #expect(c.complete("watch 2 config show -o t")?.insertion == "able")
        #expect(c.complete("watch con") == nil)
        #expect(c.complete("help config s")?.insertion == "how")
        #expect(c.complete("help ti")?.insertion == "ming")
        #expect(c.complete("timing o") == CompletionReply(insertion: "", candidates: ["off", "on"], isComplete: false))
        #expect(c.complete("exit ") == nil)
    }

    @Test func profilesComeFromTheConfigFile() async throws {
        let path = NSTemporaryDirectory() + "wwctl-config-\(UUID().uuidString).json"
        try #"{"profiles": {"prod": {"production": true}, "staging": {}, "stage2": {}}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try await completer(environment: ["WWCTL_CONFIG": path])
        #expect(c.complete("use ")?.candidates == ["prod", "stage2", "staging"])
        #expect(c.complete("use sta") == CompletionReply(insertion: "g", candidates: ["stage2", "staging"], isComplete: false))
        #expect(c.complete("ping --profile p")?.insertion == "rod")
    }

    /// What a command group added later gets by naming its arguments: roles, families (once
    /// registered), keys; repeating positionals keep completing.
    @Test func argumentsCompleteByTheirNames() async throws {
        let catalog = CommandSpec(name: "wwctl", subcommands: [
            CommandSpec(name: "orgs", subcommands: [
                CommandSpec(name: "set-role", arguments: [
                    ArgumentSpec(kind: .positional, preferredName: "org", valueName: "org"),
                    ArgumentSpec(kind: .positional, preferredName: "user", valueName: "user"),
                    ArgumentSpec(kind: .positional, preferredName: "role", valueName: "role"),
                    ArgumentSpec(kind: .option, spellings: ["--reason"], preferredName: "reason", valueName: "text"),
                ]),
            ]),
            CommandSpec(name: "cache", subcommands: [
                CommandSpec(name: "warm", arguments: [
                    ArgumentSpec(kind: .positional, preferredName: "families", valueName: "family", isRepeating: true),
                    ArgumentSpec(kind: .option, spellings: ["--org"], preferredName: "org", valueName: "org"),
                ]),
            ]),
        ])
        var registry = CompletionRegistry.standard
        registry.register(ListSource(["org", "org-members", "product"]), for: ["family"])
        let c = try await completer(catalog: catalog, registry: registry)
        #expect(c.complete("orgs set-role 1 2 a")?.insertion == "dmin")
        #expect(c.complete("orgs set-role 1 --reason x 2 v")?.insertion == "iewer")
        #expect(c.complete("orgs set-role 1 ") == nil)
        #expect(c.complete("cache warm org-") == CompletionReply(insertion: "members", candidates: ["org-members"], isComplete: true))
        #expect(c.complete("cache warm product --org 5 o")?.candidates == ["org", "org-members"])
        #expect(c.complete("cache warm --org ") == nil)
    }

    // MARK: keys

    @Test func keysCompleteFromABoundedScan() async throws {
        let prefix = "repl-unit:\(UUID().uuidString.prefix(8)):"
        let keys = [prefix + "org:1", prefix + "org:2", prefix + "user:1", prefix + "we ird*key"]
        let redis = try plant(keys)
        defer { unplant(keys, redis) }
        let lookup = RedisLookup()
        defer { lookup.close() }
        let c = try await completer(redis: lookup)
        #expect(c.complete("redis GET \(prefix)us") == CompletionReply(insertion: "er:1", candidates: [prefix + "user:1"], isComplete: true))
        #expect(c.complete("redis get \(prefix)o") == CompletionReply(
            insertion: "rg:", candidates: [prefix + "org:1", prefix + "org:2"], isComplete: false))
        // Blanks and glob characters are literal: escaped in the line, escaped in MATCH.
        #expect(c.complete("redis GET \(prefix)we")?.insertion == #"\ ird*key"#)
        #expect(c.complete("redis GET '\(prefix)we")?.insertion == " ird*key'")
        #expect(c.complete("redis GET \(prefix)w?") == nil)
        // Only key positions: SET's value is not a key.
        #expect(c.complete("redis SET \(prefix)u")?.insertion == "ser:1")
        #expect(c.complete("redis SET k \(prefix)u") == nil)
        #expect(c.complete("redis MGET a b \(prefix)us")?.insertion == "er:1")
    }

    @Test func cacheCommandKeysAreUnderTheKeyPrefix() async throws {
        let prefix = "repl-unit:\(UUID().uuidString.prefix(8)):"
        let keys = [prefix + "org:1", prefix + "org:2"]
        let redis = try plant(keys)
        defer { unplant(keys, redis) }
        let catalog = CommandSpec(name: "wwctl", subcommands: [
            CommandSpec(name: "cache", subcommands: [
                CommandSpec(name: "inspect", arguments: [ArgumentSpec(kind: .positional, preferredName: "key", valueName: "key")]),
            ]),
        ])
        let lookup = RedisLookup()
        defer { lookup.close() }
        let c = try await completer(catalog: catalog, environment: ["WWCTL_KEY_PREFIX": prefix], redis: lookup)
        #expect(c.complete("cache inspect o") == CompletionReply(insertion: "rg:", candidates: ["org:1", "org:2"], isComplete: false))
    }

    @Test func theScanReturnsAtMostTheLimit() throws {
        let prefix = "repl-unit:\(UUID().uuidString.prefix(8)):"
        let keys = (0..<10).map { prefix + "k\($0)" }
        let redis = try plant(keys)
        defer { unplant(keys, redis) }
        let lookup = RedisLookup(limits: .init(keys: 3))
        defer { lookup.close() }
        let url = try RedisTarget(parsing: Self.redisURL)
        let found = lookup.keys(startingWith: prefix, under: .empty, url: url, timeout: 5)
        #expect(found.count == 3)
        #expect(found.allSatisfy { keys.contains($0) })
    }

    @Test func redisCommandNamesCompleteInTheCaseTyped() async throws {
        let lookup = RedisLookup()
        defer { lookup.close() }
        let c = try await completer(redis: lookup)
        let upper = try #require(c.complete("redis GETD"))
        #expect(upper == CompletionReply(insertion: "EL", candidates: ["GETDEL"], isComplete: true))
        #expect(c.complete("redis getd")?.insertion == "el")
        #expect(c.complete("redis object enc")?.insertion == "oding")
    }

    @Test func anUnreachableServerMeansNoCandidates() async throws {
        let c = try await completer(environment: ["REDIS_URL": "redis://127.0.0.1:1/0"], redis: RedisLookup())
        #expect(c.complete("redis GET a") == nil)
        #expect(c.complete("redis G") == nil)
    }
}

@Suite struct RedisCommandTableTests {
    @Test func keyPositionsFollowFirstLastAndStep() {
        let table = RedisCommandTable(entries: [
            "get": .init(name: "get", firstKey: 1, lastKey: 1, step: 1),
            "mset": .init(name: "mset", firstKey: 1, lastKey: -1, step: 2),
            "object": .init(name: "object", firstKey: 0, lastKey: 0, step: 0, subcommands: [
                "encoding": .init(name: "encoding", firstKey: 2, lastKey: 2, step: 1),
            ]),
        ])
        #expect(table.isKey(words: ["GET"], position: 1))
        #expect(!table.isKey(words: ["GET", "k"], position: 2))
        #expect(table.isKey(words: ["mset", "a", "1"], position: 3))
        #expect(!table.isKey(words: ["mset", "a"], position: 2))
        #expect(table.isKey(words: ["OBJECT", "ENCODING"], position: 2))
        #expect(!table.isKey(words: ["OBJECT", "FREQ"], position: 2))
        #expect(!table.isKey(words: ["nosuch"], position: 1))
    }
}
