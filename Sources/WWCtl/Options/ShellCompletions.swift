import ArgumentParser
import Keyspace

/// Values the shell completes by asking the binary at Tab time (`wwctl ---completion …`),
/// so the scripts in completions/ never go stale: family names from the registry, role
/// names, and profile names from the config file. Each answers without touching a server.
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
}
