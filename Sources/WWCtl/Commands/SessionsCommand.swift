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
                context.output.note("session '\(session)' does not exist; give --user to clean a user's list")
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
            on a terminal; without one, --yes is required. Exit 0 even when the user had no \
            sessions.

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

    func execute(_ context: CommandContext) throws {
        let userId = try RateLimitSubject.userId(parsing: user)
        let redis = try context.redis()
        var service = SessionService(redis: redis, keyspace: context.keyspace)
        let plan = try service.planRevokeAll(userId: userId, scan: scan)
        if !dryRun && !(plan.sessionCount == 0 && plan.listed.isEmpty) {
            try context.confirm(
                "revoke \(plan.sessionCount) session\(plan.sessionCount == 1 ? "" : "s") of user \(userId) in redis \(redis.url.masked)")
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
            one, --yes is required. --dry-run counts without changing anything.

            Example:
              wwctl sessions prune --dry-run -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Flag(help: "Count what would be removed without changing anything.")
    var dryRun = false

    func execute(_ context: CommandContext) throws {
        let redis = try context.redis()
        if !dryRun {
            try context.confirm("remove dangling ids from every user session list in redis \(redis.url.masked)")
        }
        var service = SessionService(redis: redis, keyspace: context.keyspace)
        let progress = context.output.progress("pruning session lists")
        let report = try service.prune(dryRun: dryRun) { lists in progress.update("\(grouped(lists)) lists") }
        progress.finish()
        try context.output.emit(report)
        if report.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}

// MARK: rendering

/// `-1` → "no TTL", 90_061_000 → "1d 1h 1m", 59_500 → "59.5s".
func ttlDisplay(ms: Int64?) -> String {
    guard let ms else { return "-" }
    if ms == -1 { return "no TTL" }
    if ms < 0 { return "-" }
    if ms < 60_000 {
        let tenths = (ms + 50) / 100
        return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
    }
    let seconds = ms / 1000
    let (days, hours, minutes, rest) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
    var parts: [String] = []
    if days > 0 { parts.append("\(days)d") }
    if hours > 0 { parts.append("\(hours)h") }
    if minutes > 0 { parts.append("\(minutes)m") }
    if days == 0 && hours == 0 && rest > 0 { parts.append("\(rest)s") }
    return parts.joined(separator: " ")
}

private func jsonText(_ value: JSONValue?) -> String {
    switch value {
    case nil, .null?: "-"
    case .string(let text)?: text
    case let value?: value.compactText
    }
}

extension UserSessionsReport: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        var text = ""
        if !sessions.isEmpty {
            var table = TextTable([
                .init("SESSION"), .init("STATE"), .init("TTL", .right), .init("IP"), .init("USER AGENT"), .init("CREATED"),
            ])
            for session in sessions {
                table.append(
                    session.id, session.dangling ? context.style.yellow("dangling") : "active", ttlDisplay(ms: session.ttlMs),
                    session.ip ?? "-", session.userAgent ?? "-", jsonText(session.createdAt))
            }
            text += table.render(width: context.width)
        }
        guard listExists else { return text + "user \(userId) has no session list\n" }
        return text + "user \(userId): \(active) active, \(dangling) dangling (list TTL \(ttlDisplay(ms: listTtlMs)))\n"
    }

    public func ndjsonValues() throws -> [JSONValue] {
        try sessions.map { try JSONValueEncoder().encode($0) }
    }
}

/// `sessions show`: the entry as JSON, key: value lines for people.
struct SessionView: Renderable {
    var entry: SessionEntry

    func encode(to encoder: any Encoder) throws { try entry.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var lines = [
            "session     \(entry.id)",
            "user        \(jsonText(entry.userId))",
            "ttl         \(ttlDisplay(ms: entry.ttlMs))",
            "ip          \(entry.ip ?? "-")",
            "user agent  \(entry.userAgent ?? "-")",
            "created     \(jsonText(entry.createdAt))",
        ]
        if let listed = entry.listed {
            lines.append("listed      \(listed ? "yes" : context.style.yellow("no: its user's list does not name it"))")
        }
        lines.append("data        \(jsonText(entry.data))")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SessionRevocation: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        let verb = dryRun ? "would revoke" : "revoked"
        var text = "\(verb) \(revoked) session\(revoked == 1 ? "" : "s")"
        if let userId { text += " of user \(userId)" }
        if !ids.isEmpty { text += ": " + ids.joined(separator: ", ") }
        text += "\n"
        if !unlisted.isEmpty { text += "\(unlisted.count) of them not in the user's list (found by --scan)\n" }
        if !skipped.isEmpty {
            text += "left \(skipped.count) listed session\(skipped.count == 1 ? "" : "s") of another user alone: "
                + skipped.joined(separator: ", ") + "\n"
        }
        if !removedFromList.isEmpty {
            text += "\(dryRun ? "would remove" : "removed") \(removedFromList.count) id\(removedFromList.count == 1 ? "" : "s") from the user's list"
            if listDeleted {
                text += dryRun ? " (it would be deleted, empty)" : " (now empty, deleted)"
            } else if let listRemaining {
                text += " (\(listRemaining) left)"
            }
            text += "\n"
        }
        return text
    }
}

extension SessionPruneReport: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        var text = ""
        if context.verbose || dryRun {
            for list in lists {
                text += "user \(list.userId): \(list.removed.joined(separator: ", "))\(list.emptied ? " (list emptied)" : "")\n"
            }
        }
        let verb = dryRun ? "would remove" : "removed"
        text += "scanned \(grouped(listsScanned)) session lists, checked \(grouped(idsChecked)) ids: "
            + "\(verb) \(grouped(idsRemoved)) dangling, \(grouped(listsEmptied)) lists \(dryRun ? "would be " : "")emptied"
        if listsMalformed > 0 { text += "; \(listsMalformed) lists are not JSON arrays (left alone)" }
        if interrupted { text += " (interrupted)" }
        return text + "\n"
    }
}
