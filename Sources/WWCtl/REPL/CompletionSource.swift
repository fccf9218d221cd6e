import Keyspace
import Schema
/// What a completion source may consult when Tab is pressed: the session's settings as
/// resolved before the prompt was drawn, its environment, and the REPL's Redis lookups.
struct CompletionContext: @unchecked Sendable {
    /// nil when the settings cannot be resolved (e.g. an unknown profile).
    var settings: Settings?
    var environment: [String: String]
    var redis: RedisLookup?
    var postgres: PostgresLookup?
    /// Values the line already gives, by argument name (`perms check 2415 ` → user: 2415).
    var given: [String: String] = [:]
}

/// Values for one kind of argument (family names, role names, profile names, keys).
/// Sources are looked up by the argument's names, so a command completes its values by
/// naming its argument after what it holds (`--family`, `ROLE`, `KEY`, `PATTERN`) — or by
/// declaring `completion: .list(…)`/`.custom {…}`, or using a `CaseIterable` value type,
/// which ArgumentParser already reports.
protocol CompletionSource: Sendable {
    /// Candidates for a value of which `typed` has been typed. The caller filters by it
    /// again; sources that ask a server use it to narrow the question.
    func candidates(typed: String, context: CompletionContext) -> Completer.Candidates
}

/// A fixed list.
struct ListSource: CompletionSource {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    func candidates(typed: String, context: CompletionContext) -> Completer.Candidates { Completer.Candidates(values: values) }
}

/// The profiles of the config file in force.
struct ProfileSource: CompletionSource {
    func candidates(typed: String, context: CompletionContext) -> Completer.Candidates {
        let path = ConfigFile.defaultPath(environment: context.environment)
        guard let file = try? ConfigFile.load(path: path) else { return Completer.Candidates(values: []) }
        return Completer.Candidates(values: file.profiles.keys.sorted())
    }
}

/// Key names: first what the registry's templates say can follow the typed text
/// (`KeyCompletion`), then the keys that exist, by a SCAN on the typed prefix bounded in
/// time (`RedisLookup`). A walk stopped by its limit gives a partial list, which Tab never
/// completes to one key on its own. With `keyPrefixed`, the value is a key under the
/// session's `--key-prefix` (what the cache commands take); without it, a raw key (what
/// `redis GET` takes), whose templates then start with the prefix.
struct RedisKeySource: CompletionSource {
    var keyPrefixed: Bool

    func candidates(typed: String, context: CompletionContext) -> Completer.Candidates {
        guard let settings = context.settings else { return Completer.Candidates(values: []) }
        let keyspace = settings.keyspace
        let appPrefix = String(decoding: keyspace.prefix.bytes, as: UTF8.self)
        var found = Completer.Candidates(values: [])
        // The registry's keys, under the app's prefix for a raw key.
        let head = keyPrefixed ? "" : appPrefix
        if typed.hasPrefix(head) {
            for candidate in KeyCompletion.registryCandidates(String(typed.dropFirst(head.count)), registry: keyspace.registry) {
                found.values.append(head + candidate.text)
                if !candidate.isKey { found.stems.insert(head + candidate.text) }
            }
        } else if head.hasPrefix(typed) {
            found.values.append(head)
            found.stems.insert(head)
        }
        guard let redis = context.redis else { return found }
        let walk = redis.keys(
            startingWith: typed, under: keyPrefixed ? keyspace.prefix : .empty,
            url: settings.redisURL.value, timeout: settings.timeout.value)
        found.values += walk.keys
        // A key that exists is a whole word even where a template continues it.
        found.stems.subtract(walk.keys)
        found.partial = !walk.complete
        return found
    }
}

/// User or org ids from PostgreSQL; the other one, when the line gives it, narrows them
/// to its memberships (`perms check 2415 <Tab>` offers the orgs of user 2415).
struct MembershipIdSource: CompletionSource {
    enum Side { case user, org }
    let side: Side

    func candidates(typed: String, context: CompletionContext) -> Completer.Candidates {
        guard let settings = context.settings, let postgres = context.postgres else { return .init(values: []) }
        let other = context.given[side == .user ? "org" : "user"].flatMap { Int($0) }
        return .init(values: postgres.run(settings.databaseURL.value) {
            switch side {
            case .user: try ArgumentLookup.userIds(startingWith: typed, memberOf: other, on: $0)
            case .org: try ArgumentLookup.orgIds(startingWith: typed, ofUser: other, on: $0)
            }
        } ?? [])
    }
}

/// Session ids from Redis, by a walk bounded in time (a partial list never completes on
/// its own, as for keys).
struct SessionSource: CompletionSource {
    func candidates(typed: String, context: CompletionContext) -> Completer.Candidates {
        guard let settings = context.settings, let redis = context.redis else { return .init(values: []) }
        let walk = redis.keys(
            startingWith: "session:" + typed, under: settings.keyspace.prefix,
            url: settings.redisURL.value, timeout: settings.timeout.value)
        let ids = walk.keys.map { String($0.dropFirst("session:".count)) }.filter { !$0.contains(":") }
        return .init(values: ids, partial: !walk.complete)
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
        registry.register(ListSource(PermissionCatalog.resources), for: ["resource"])
        registry.register(ListSource(PermissionCatalog.actions), for: ["action"])
        registry.register(MembershipIdSource(side: .user), for: ["user"])
        registry.register(MembershipIdSource(side: .org), for: ["org"])
        registry.register(SessionSource(), for: ["session"])
        return registry
    }()
}
