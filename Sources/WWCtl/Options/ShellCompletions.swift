import ArgumentParser
import Keyspace
import Postgres
import Redis
import Schema
import Support

/// Values the shell completes by asking the binary at Tab time (`wwctl ---completion …`),
/// so the scripts in completions/ never go stale: family names from the registry, role
/// names, and profile names from the config file, which answer without touching a server;
/// user, org and session ids, looked up on the servers the line names (its --profile,
/// --redis-url, --database-url, else the environment's), bounded (`ArgumentLookup`).
/// Permission resources and actions are fixed lists, written into the scripts.
enum ShellCompletions {
    static let families = CompletionKind.custom { _, _, _ in
        KeyspaceRegistry.standard.familyNames
    }

    static let warmableFamilies = CompletionKind.custom { _, _, _ in
        KeyspaceRegistry.standard.families.filter(\.warmability.isWarmable).map(\.name)
    }

    /// The roles of the permission model (migration 2 of the schema).
    static let roleNames = ["owner", "admin", "manager", "staff", "viewer"]

    static let roles = CompletionKind.custom { _, _, _ in roleNames }

    static let profiles = CompletionKind.custom { _, _, _ in
        let path = ConfigFile.defaultPath(environment: (Session.current ?? Session.process).environment)
        return (try? ConfigFile.load(path: path))?.profiles.keys.sorted() ?? []
    }

    /// `-o`: prometheus only where the command prints it (`metrics`), as the command
    /// refuses it elsewhere.
    static let outputFormats = CompletionKind.custom { words, _, _ in
        OutputFormat.allCases.filter { $0 != .prometheus || words.contains("metrics") }.map(\.rawValue)
    }

    static let resources = CompletionKind.list(PermissionCatalog.resources)

    static let actions = CompletionKind.list(PermissionCatalog.actions)

    /// `perms check USER …`.
    static let users = CompletionKind.custom { words, _, typed in
        ShellLookup(words).postgres { try ArgumentLookup.userIds(startingWith: typed, memberOf: nil, on: $0) }
    }

    /// `perms check USER ORG`: the user's orgs.
    static let orgsOfUser = CompletionKind.custom { words, _, typed in
        let lookup = ShellLookup(words)
        let user = lookup.positionals(after: "check").first.flatMap { Int($0) }
        return lookup.postgres { try ArgumentLookup.orgIds(startingWith: typed, ofUser: user, on: $0) }
    }

    static let sessions = CompletionKind.custom { words, _, typed in
        ShellLookup(words).redis { redis, keyspace in
            try ArgumentLookup.sessionIds(startingWith: typed, keyspace: keyspace, on: redis).keys
        }
    }
}

/// The line a shell asks to complete, read for what the lookups need: the servers it names
/// and the words that are not options.
struct ShellLookup {
    let words: [String]

    init(_ words: [String]) { self.words = words }

    private static let valued = GlobalOptions.valuedSpellings

    /// The settings the line's own global options and the environment give.
    var settings: Settings? {
        var options: [String] = []
        for (i, word) in words.enumerated() where Self.valued.contains(word) && i + 1 < words.count && word != "-o" && word != "--output" {
            options += [word, words[i + 1]]
        }
        guard let global = try? GlobalOptions.parse(options) else { return nil }
        return try? Settings.resolve(global, environment: CurrentEnvironment.read(), used: nil)
    }

    /// The words after `command` that are neither options nor their values.
    func positionals(after command: String) -> [String] {
        guard let start = words.firstIndex(of: command) else { return [] }
        var out: [String] = []
        var i = start + 1
        while i < words.count {
            if Self.valued.contains(words[i]) { i += 2; continue }
            if !words[i].hasPrefix("-") { out.append(words[i]) }
            i += 1
        }
        return out
    }

    func postgres(_ body: (PostgresConnection) throws -> [String]) -> [String] {
        guard let settings, let db = try? PostgresConnection(
            conninfo: settings.databaseURL.value, connectTimeout: 2, applicationName: "wwctl-completion", statementTimeoutSeconds: 1)
        else { return [] }
        defer { db.close() }
        return (try? body(db)) ?? []
    }

    func redis(_ body: (RedisConnection, BoundKeyspace) throws -> [String]) -> [String] {
        guard let settings,
            let redis = try? RedisTopology(target: settings.redisURL.value, connectTimeout: 1, commandTimeout: 1).openPrimary()
        else { return [] }
        defer { redis.close() }
        return (try? body(redis, settings.keyspace)) ?? []
    }
}
