import Marketplace
import Support

struct PermsCheckOutput: Renderable {
    var decision: PermissionDecision
    var explain: Bool

    func encode(to encoder: any Encoder) throws { try decision.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        let d = decision
        let verdict = d.allowed ? context.style.green("allowed") : context.style.red("denied")
        let shown = TerminalText.escaped
        var text = "\(verdict): user \(d.userId) \(shown(d.resource)):\(shown(d.action)) in org \(d.orgId): \(shown(d.reason))\n"
        if explain {
            for (index, step) in d.chain.enumerated() { text += "  \(index + 1). \(shown(step))\n" }
        }
        let cache: String
        switch (d.cachedRaw, d.stale) {
        case (nil, _): cache = "not cached"
        case (let raw?, true): cache = "cached \(shown(raw)): " + context.style.red("stale")
        case (let raw?, false): cache = "cached \(shown(raw)): fresh"
        }
        return text + "\(shown(d.key)): \(cache)\n"
    }
}

struct PermsListOutput: Renderable {
    var entries: [UserOrgPermissions]

    func encode(to encoder: any Encoder) throws { try entries.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("ORG", .right), .init("NAME"), .init("STATUS"), .init("ROLE"), .init("ALLOWED")])
        for entry in entries {
            let allowed = entry.permissions.isEmpty ? "none" : "\(entry.permissions.count): " + entry.permissions.joined(separator: " ")
            table.append(String(entry.organizationId), entry.organization, entry.status, entry.role, allowed)
        }
        return table.render(width: context.width) + (entries.isEmpty ? "no memberships\n" : "")
    }
}

struct PermsRolesOutput: Renderable {
    var matrix: PermissionMatrix

    func encode(to encoder: any Encoder) throws { try matrix.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("PERMISSION")] + matrix.roles.map { .init($0.name.uppercased(), truncatable: false) })
        for entry in matrix.catalog {
            table.append(["\(entry.resource):\(entry.action)"] + matrix.roles.map { entry.roles.contains($0.name) ? "x" : "." })
        }
        var text = table.render(width: context.width)
        for role in matrix.roles {
            text += TerminalText.escaped("\(role.name): \(role.permissions.count) permissions, \(grouped(role.members)) memberships (\(role.description))") + "\n"
        }
        return text
    }
}

/// `role staff: product:update granted → revoked (10,312 holders)`.
func grantSummary(_ report: MutationReport) -> String {
    let change = report.change
    let after = change["after"]?["granted"]?.boolValue == true
    let holders = change["holders"]?.intValue ?? 0
    return "\(report.target): \(change["permission"]?.stringValue ?? "") "
        + (after ? "granted" : "revoked") + " (\(grouped(holders)) memberships hold the role)"
}

struct PermsAuditOutput: Renderable {
    var report: PermissionAuditReport

    func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var text = ""
        if !report.stale.isEmpty {
            var table = TextTable([.init("KEY"), .init("CACHED"), .init("DATABASE")])
            for entry in report.stale { table.append(entry.key, entry.cached, entry.database ? "true" : "false") }
            text += table.render(width: context.width)
        }
        text += "\(grouped(report.checked)) perm keys checked in \(grouped(report.queries)) queries"
            + (report.sampled ? " (sample)" : "") + ": \(grouped(report.staleCount)) stale"
        if report.fixed > 0 { text += ", \(grouped(report.fixed)) deleted" }
        return text + "\n"
    }
}
