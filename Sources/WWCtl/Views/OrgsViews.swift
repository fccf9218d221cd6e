import Marketplace
import Support

struct OrgListOutput: Renderable {
    var orgs: [Organization]

    func encode(to encoder: any Encoder) throws { try orgs.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("ID", .right), .init("NAME"), .init("SLUG"), .init("STATUS"), .init("RATE", .right), .init("MEMBERS", .right),
        ])
        for org in orgs {
            table.append(cells: [
                .init(String(org.id)), .init(org.name), .init(org.slug), styledOrgStatus(org.status, context.style),
                .init(org.commissionRate.description), .init(grouped(org.memberCount)),
            ])
        }
        return table.render(width: context.width) + "\(orgs.count) organization\(orgs.count == 1 ? "" : "s")\n"
    }
}

func styledOrgStatus(_ status: OrganizationStatus, _ style: Style) -> TextTable.Cell {
    switch status {
    case .active: .init(status.rawValue, paint: style.green)
    case .pending: .init(status.rawValue, paint: style.yellow)
    case .suspended: .init(status.rawValue, paint: style.red)
    }
}

struct OrgShowOutput: Renderable {
    var org: Organization

    func encode(to encoder: any Encoder) throws { try org.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("FIELD"), .init("VALUE")])
        table.append("id", String(org.id))
        table.append("name", org.name)
        table.append("slug", org.slug)
        table.append(cells: [.init("status"), styledOrgStatus(org.status, context.style)])
        if let reason = org.suspendedReason { table.append("suspended", "\(org.suspendedAt ?? "-"): \(reason)") }
        table.append("commission rate", org.commissionRate.description)
        table.append("members", grouped(org.memberCount))
        table.append("created", org.createdAt)
        table.append("updated", org.updatedAt)
        return table.render(width: context.width)
    }
}

struct OrgMembersOutput: Renderable {
    var members: [OrganizationMember]

    func encode(to encoder: any Encoder) throws { try members.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("USER", .right), .init("NAME"), .init("EMAIL"), .init("ROLE"), .init("JOINED")])
        for member in members {
            table.append(String(member.userId), member.name, member.email, member.role, member.joinedAt)
        }
        return table.render(width: context.width) + "\(members.count) member\(members.count == 1 ? "" : "s")\n"
    }
}

extension MutationOutput {
    /// An org or membership change, summed up as `target: before → after` by field.
    init(accessChange report: MutationReport) {
        self.init(report: report, summary: "\(report.target): \(describeAccessChange(report.change))")
    }
}

/// `before → after` of a change's details, field by field where they differ:
/// `role staff → admin`, `status active → suspended`.
func describeAccessChange(_ change: JSONValue) -> String {
    func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "yes" : "no"
        case .null, .none: "-"
        default: value?.compactText ?? "-"
        }
    }
    let before = change["before"]
    let after = change["after"]
    var names: [String] = []
    for value in [before, after] {
        if case .object(let members)? = value {
            for (name, _) in members where !names.contains(name) { names.append(name) }
        }
    }
    if before?.isNull ?? true { return "added " + names.map { "\($0) \(text(after?[$0]))" }.joined(separator: ", ") }
    if after?.isNull ?? true { return "removed (was " + names.map { "\($0) \(text(before?[$0]))" }.joined(separator: ", ") + ")" }
    let changed = names.filter { before?[$0] != after?[$0] }
    return changed.map { "\($0) \(text(before?[$0])) → \(text(after?[$0]))" }.joined(separator: ", ")
}
