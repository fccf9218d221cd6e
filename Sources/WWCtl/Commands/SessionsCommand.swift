import ArgumentParser
import Marketplace
import Support

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List, show, revoke and prune user sessions (they live only in Redis).",
        discussion: """
            Example:
              wwctl sessions list --user 42
            """,
        subcommands: [
            SessionsListCommand.self, SessionsShowCommand.self, SessionsRevokeCommand.self,
            SessionsRevokeAllCommand.self, SessionsPruneCommand.self,
        ])
}

struct SessionsListCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "A user's sessions with TTL and metadata; ids whose session has expired are marked dangling.",
        discussion: """
            Reads user:{userId}:sessions (a JSON array of ids) and each session:{id} with its \
            TTL. An id whose session key no longer exists is "dangling": the session expired \
            or was deleted but the list still names it (`wwctl sessions prune` removes those).

            Example:
              wwctl sessions list --user 42 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The user id.", valueName: "user"))
    var user: String

    func execute(_ context: CommandContext) throws {
        let userId = try RateLimitSubject.userId(parsing: user)
        let service = SessionService(redis: try context.redis(), keyspace: context.keyspace)
        try context.output.emit(try service.list(userId: userId))
    }
}

struct SessionsShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One session: its user, TTL, metadata, and whether its user's list names it.",
        discussion: """
            Exit 1 when the session does not exist.

            Example:
              wwctl sessions show 6f1c2a9e-0b7d-4c8e-9a51-2f3b4c5d6e7f
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The session id.", valueName: "session"))
    var session: String

    func execute(_ context: CommandContext) throws {
        let service = SessionService(redis: try context.redis(), keyspace: context.keyspace)
        try context.output.emit(SessionView(entry: try service.show(sessionId: session)))
    }
}

struct SessionsRevokeCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Delete a session and take its id out of its user's session list.",
        discussion: """
            The user comes from the session's value. When the session key is already gone, \
            --user names whose list to clean. The list is changed atomically on the server \
            (a Lua script) and keeps its TTL; a list left empty is deleted. That is safe \
            against writers that are atomic themselves (scripts, WATCH/MULTI/EXEC); a plain \
            GET-then-SET writer, as cache-manager is, can lose its own updates whoever else \
            writes. Exit 0 when something was revoked or removed, 1 when there was nothing \
            to do.

            Example:
              wwctl sessions revoke 6f1c2a9e-0b7d-4c8e-9a51-2f3b4c5d6e7f -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The session id.", valueName: "session"))
    var session: String

    @Option(help: ArgumentHelp("The session's user, for a session whose key is already gone.", valueName: "user"))
    var user: String?

    @Flag(help: "Show what would be deleted without deleting anything.")
    var dryRun = false

    func execute(_ context: CommandContext) throws {
        let userId = try user.map(RateLimitSubject.userId(parsing:))
        var service = SessionService(redis: try context.redis(), keyspace: context.keyspace)
        let result = try service.revoke(sessionId: session, user: userId, dryRun: dryRun)
        try context.output.emit(result)
        if result.revoked == 0 && result.removedFromList.isEmpty {
            if userId == nil && result.userId == nil {
                context.output.note("session '\(TerminalText.echoed(session))' does not exist; give --user to clean a user's list")
            }
            throw ExitCode(ErrorCategory.negative.exitCode)
        }
    }
}

struct SessionsRevokeAllCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-all",
        abstract: "Delete every session of a user and the user's session list.",
        discussion: """
            Deletes each session named by user:{userId}:sessions and takes those ids out of \
            the list atomically, so a session the app creates meanwhile survives with its \
            list entry. With --scan, also finds sessions of the user that the list does not \
            name (SCAN over session:*, which walks the whole keyspace). Asks for confirmation \
            on a terminal; without one, --yes is required. On a production profile, the \
            profile's name must be typed (without a terminal: --yes --confirm-production NAME). \
            Exit 0 even when the user had no sessions.

            Example:
              wwctl sessions revoke-all --user 42 --yes -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The user id.", valueName: "user"))
    var user: String

    @Flag(help: "Also find the user's sessions that the list does not name (walks the keyspace).")
    var scan = false

    @Flag(help: "Show what would be deleted without deleting anything.")
    var dryRun = false

    @OptionGroup var production: ProductionConfirmation

    func execute(_ context: CommandContext) throws {
        let userId = try RateLimitSubject.userId(parsing: user)
        let redis = try context.redis()
        var service = SessionService(redis: redis, keyspace: context.keyspace)
        let plan = try service.planRevokeAll(userId: userId, scan: scan)
        if !dryRun && !(plan.sessionCount == 0 && plan.listed.isEmpty) {
            let action = "revoke \(plan.sessionCount) session\(plan.sessionCount == 1 ? "" : "s") of user \(userId) in redis \(redis.url.masked)"
            if context.settings.production {
                try context.confirmProduction(action, typed: production.name)
            } else {
                try context.confirm(action)
            }
        }
        try context.output.emit(try service.revokeAll(plan, dryRun: dryRun))
    }
}

struct SessionsPruneCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove dangling ids (whose session has expired) from every user's session list.",
        discussion: """
            Walks the keyspace with SCAN for user:*:sessions, checks each listed id's \
            session key, and takes the missing ones out of the list atomically (keeping its \
            TTL; a list left empty is deleted). Asks for confirmation on a terminal; without \
            one, --yes is required; on a production profile, the profile's name must be typed \
            (without a terminal: --yes --confirm-production NAME). --dry-run counts without \
            changing anything.

            Example:
              wwctl sessions prune --dry-run -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Flag(help: "Count what would be removed without changing anything.")
    var dryRun = false

    @OptionGroup var production: ProductionConfirmation

    func execute(_ context: CommandContext) throws {
        let redis = try context.redis()
        if !dryRun {
            let action = "remove dangling ids from every user session list in redis \(redis.url.masked)"
            if context.settings.production {
                try context.confirmProduction(action, typed: production.name)
            } else {
                try context.confirm(action)
            }
        }
        var service = SessionService(redis: redis, keyspace: context.keyspace)
        let progress = context.output.progress("pruning session lists")
        let report = try service.prune(dryRun: dryRun) { lists in progress.update("\(grouped(lists)) lists") }
        progress.finish()
        try context.output.emit(report)
        if report.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}
