import Marketplace
import Support

extension UserSessionsReport: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        var text = ""
        if !sessions.isEmpty {
            var table = TextTable([
                .init("SESSION"), .init("STATE"), .init("TTL", .right), .init("IP"), .init("USER AGENT"), .init("CREATED"),
            ])
            for session in sessions {
                table.append(cells: [
                    .init(session.id), session.dangling ? .init("dangling", paint: context.style.yellow) : .init("active"),
                    .init(ttlDisplay(ms: session.ttlMs)), .init(session.ip ?? "-"), .init(session.userAgent ?? "-"),
                    .init(jsonText(session.createdAt)),
                ])
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
        // Every value is the app's or its end users' (a user agent is whatever a client sent).
        let shown = TerminalText.escaped
        var lines = [
            "session     \(shown(entry.id))",
            "user        \(shown(jsonText(entry.userId)))",
            "ttl         \(ttlDisplay(ms: entry.ttlMs))",
            "ip          \(shown(entry.ip ?? "-"))",
            "user agent  \(shown(entry.userAgent ?? "-"))",
            "created     \(shown(jsonText(entry.createdAt)))",
        ]
        if let listed = entry.listed {
            lines.append("listed      \(listed ? "yes" : context.style.yellow("no: its user's list does not name it"))")
        }
        lines.append("data        \(shown(jsonText(entry.data)))")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SessionRevocation: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        let verb = dryRun ? "would revoke" : "revoked"
        var text = "\(verb) \(revoked) session\(revoked == 1 ? "" : "s")"
        if let userId { text += " of user \(userId)" }
        if !ids.isEmpty { text += ": " + TerminalText.escaped(ids.joined(separator: ", ")) }
        text += "\n"
        if !unlisted.isEmpty { text += "\(unlisted.count) of them not in the user's list (found by --scan)\n" }
        if !skipped.isEmpty {
            text += "left \(skipped.count) listed session\(skipped.count == 1 ? "" : "s") of another user alone: "
                + TerminalText.escaped(skipped.joined(separator: ", ")) + "\n"
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
                text += "user \(list.userId): \(TerminalText.escaped(list.removed.joined(separator: ", ")))\(list.emptied ? " (list emptied)" : "")\n"
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
