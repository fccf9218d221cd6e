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
        let settings = try Settings.resolve(Repl.noFlags, environment: environment, used: nil)
        return Completer(
            catalog: catalog, registry: registry,
            context: CompletionContext(settings: settings, environment: environment, redis: redis),
            customCompletion: Repl.argumentParserCompletion)
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
        #expect(c.complete("config show -o ")?.candidates == ["json", "ndjson", "table"])
        #expect(c.complete("ping -o p") == nil)
        #expect(c.complete("metrics -o p")?.insertion == "rometheus")
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
        // The registry's stems come with the keys that exist.
        #expect(c.complete("cache inspect o") == CompletionReply(
            insertion: "r", candidates: ["order:", "org:", "org:1", "org:2", "org:search:"], isComplete: false))
        #expect(c.complete("cache inspect org:")?.candidates.prefix(2) == ["org:1", "org:2"])
    }

    @Test func aWalkStoppedByItsLimitSaysItIsPartial() throws {
        let prefix = "repl-unit:\(UUID().uuidString.prefix(8)):"
        let keys = (0..<10).map { prefix + "k\($0)" }
        let redis = try plant(keys)
        defer { unplant(keys, redis) }
        let url = try RedisTarget(parsing: Self.redisURL)
        let limited = RedisLookup(limits: .init(count: 1, keys: 3))
        defer { limited.close() }
        let some = limited.keys(startingWith: prefix, under: .empty, url: url, timeout: 5)
        #expect(some.keys.count >= 3 && some.keys.count < 10)
        #expect(some.keys.allSatisfy { keys.contains($0) })
        #expect(!some.complete)
        let lookup = RedisLookup()
        defer { lookup.close() }
        let all = lookup.keys(startingWith: prefix, under: .empty, url: url, timeout: 5)
        #expect(all == .init(keys: keys.sorted(), complete: true))
    }

    /// A partial list never completes to one of its values on its own, inserts only the
    /// common prefix of what was found, and ends with a line that says it is partial.
    @Test func aPartialListInsertsOnlyTheCommonPrefix() {
        let one = Completer.reply(typed: "perm:2415:", quote: nil, candidates: .init(
            values: ["perm:2415:9:refund:create"], partial: true))
        #expect(one?.insertion == "")
        #expect(one?.isComplete == false)
        #expect(one?.candidates.first == "perm:2415:9:refund:create")
        #expect(one?.candidates.last == "… partial walk")
        let two = Completer.reply(typed: "perm:2415:", quote: nil, candidates: .init(
            values: ["perm:2415:9:refund:create", "perm:2415:9:order:read"], partial: true))
        #expect(two?.insertion == "9:")
        #expect(two?.isComplete == false)
        #expect(two?.candidates.count == 3)
        // Complete, the one value is the word.
        let whole = Completer.reply(typed: "perm:2415:", quote: nil, candidates: .init(values: ["perm:2415:9:refund:create"]))
        #expect(whole == CompletionReply(insertion: "9:refund:create", candidates: ["perm:2415:9:refund:create"], isComplete: true))
        // A stem is inserted without the blank that ends a word.
        let stem = Completer.reply(typed: "catego", quote: nil, candidates: .init(values: ["category:"], stems: ["category:"]))
        #expect(stem == CompletionReply(insertion: "ry:", candidates: ["category:"], isComplete: false))
    }

    @Test func theRegistryOffersFixedKeysAndLiteralParts() {
        func texts(_ typed: String) -> [String] {
            KeyCompletion.registryCandidates(typed, registry: .standard).map(\.text).sorted()
        }
        #expect(texts("categor") == ["categories:tree", "category:"])
        #expect(KeyCompletion.registryCandidates("categories", registry: .standard)
            == [.init(text: "categories:tree", isKey: true)])
        #expect(texts("jwt") == ["jwt:blacklist:"])
        #expect(texts("org:7:") == ["org:7:members", "org:7:products", "org:7:stats"])
        #expect(texts("org:7:s") == ["org:7:stats"])
        #expect(texts("org:x:").isEmpty)  // not an org id
        #expect(texts("admin:stats:") == ["admin:stats:month", "admin:stats:today", "admin:stats:week"])
        // A parameter whose values cannot be listed is left to the keys that exist.
        #expect(texts("perm:2415:").isEmpty)
        #expect(texts("perm:") .isEmpty)
        #expect(texts("zzz").isEmpty)
        #expect(texts("pe") == ["perm:"])
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
