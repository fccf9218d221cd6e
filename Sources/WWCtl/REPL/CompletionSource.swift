import Keyspace
/// What a completion source may consult when Tab is pressed: the session's settings as
/// resolved before the prompt was drawn, its environment, and the REPL's Redis lookups.
struct CompletionContext: @unchecked Sendable {
    /// nil when the settings cannot be resolved (e.g. an unknown profile).
    var settings: Settings?
    var environment: [String: String]
    var redis: RedisLookup?
}

/// Values for one kind of argument (family names, role names, profile names, keys).
/// Sources are looked up by the argument's names, so a command completes its values by
/// naming its argument after what it holds (`--family`, `ROLE`, `KEY`, `PATTERN`) — or by
/// declaring `completion: .list(…)`/`.custom {…}`, or using a `CaseIterable` value type,
/// which ArgumentParser already reports.
protocol CompletionSource: Sendable {
    /// Candidates for a value of which `typed` has been typed. The caller filters by it
    /// again; sources that ask a server use it to narrow the question.
    func candidates(typed: String, context: CompletionContext) -> [String]
}

/// A fixed list.
struct ListSource: CompletionSource {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    func candidates(typed: String, context: CompletionContext) -> [String] { values }
}

/// The profiles of the config file in force.
struct ProfileSource: CompletionSource {
    func candidates(typed: String, context: CompletionContext) -> [String] {
        let path = ConfigFile.defaultPath(environment: context.environment)
        guard let file = try? ConfigFile.load(path: path) else { return [] }
        return file.profiles.keys.sorted()
    }
}

/// Key names from the server, by a bounded SCAN on the typed prefix (see `RedisLookup`).
/// With `keyPrefixed`, the value is a key under the session's `--key-prefix` (what the
/// cache commands take); without it, a raw key (what `redis GET` takes).
struct RedisKeySource: CompletionSource {
    var keyPrefixed: Bool

    func candidates(typed: String, context: CompletionContext) -> [String] {
        guard let settings = context.settings, let redis = context.redis else { return [] }
        let keyPrefix = keyPrefixed ? settings.keyspace.prefix : .empty
        return redis.keys(startingWith: typed, under: keyPrefix, url: settings.redisURL.value, timeout: settings.timeout.value)
    }
}

/// Which source answers for which argument names.
struct CompletionRegistry: Sendable {
    private var sources: [String: any CompletionSource] = [:]

    init() {}

    /// Makes `source` answer for arguments called any of `names` (long option name,
    /// value name or property name, case-insensitive).
    mutating func register(_ source: any CompletionSource, for names: [String]) {
        for name in names { sources[name.lowercased()] = source }
    }

    /// The source for `argument`: the first of its names that has one.
    func source(for argument: ArgumentSpec) -> (any CompletionSource)? {
        for name in argument.lookupNames {
            if let source = sources[name] { return source }
        }
        return nil
    }

    /// Role names (docs/CLI.md), family names (the registry), profile names, and cache keys.
    static let standard: CompletionRegistry = {
        var registry = CompletionRegistry()
        registry.register(ListSource(ShellCompletions.roleNames), for: ["role", "roles"])
        registry.register(ListSource(KeyspaceRegistry.standard.familyNames), for: ["family", "families"])
        registry.register(ProfileSource(), for: ["profile"])
        registry.register(RedisKeySource(keyPrefixed: true), for: ["key", "keys", "pattern", "patterns"])
        return registry
    }()
}
