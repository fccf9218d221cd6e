import ArgumentParser
import Marketplace
import Support

struct OrgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgs",
        abstract: "List, show and change organizations and their members.",
        discussion: """
            Example:
              wwctl orgs set-role 7 42 admin --dry-run

            Every change runs in one transaction with an audit row, then deletes by name \
            exactly the cache keys the keyspace registry names for it (perm keys of the \
            members concerned, user-orgs, org keys), sweeping with SCAN only what cannot be \
            enumerated (org:search:*, refunds:org:{o}:*) or what --sweep asks for. \
            --dry-run shows the change and the cached keys it would delete.
            """,
        subcommands: [
            OrgsListCommand.self, OrgsShowCommand.self, OrgsCreateCommand.self, OrgsUpdateCommand.self,
            OrgsSuspendCommand.self, OrgsActivateCommand.self, OrgsMembersCommand.self,
            OrgsAddMemberCommand.self, OrgsRemoveMemberCommand.self, OrgsSetRoleCommand.self,
        ])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

// MARK: reads

struct OrgsListCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Organizations by id, filtered by status and/or a name or slug fragment.",
        discussion: """
            Example:
              wwctl orgs list --status suspended --search acme --limit 20

            --search matches anywhere in the name or slug, ignoring case; % and _ match \
            themselves.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("pending, active or suspended.", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Text the name or slug contains.", valueName: "text"))
    var search: String?

    @Option(help: ArgumentHelp("At most this many (1-10000, default 50).", valueName: "n"))
    var limit: Int = 50

    func validate() throws {
        try checkAtParseTime { _ = try OrgInput.limit(limit) }
    }

    func execute(_ context: CommandContext) throws {
        let status = try status.map(OrganizationStatus.parse)
        let orgs = try context.orgService(mutating: false).list(status: status, search: search, limit: limit)
        try context.output.emit(OrgListOutput(orgs: orgs))
    }
}

struct OrgsShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One organization.",
        discussion: """
            Example:
              wwctl orgs show 7 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The org id.", valueName: "org"))
    var org: Int

    func execute(_ context: CommandContext) throws {
        try context.output.emit(OrgShowOutput(org: try context.orgService(mutating: false).show(org)))
    }
}

struct OrgsMembersCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "An organization's members and their roles, most powerful first.",
        discussion: """
            Example:
              wwctl orgs members 7
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The org id.", valueName: "org"))
    var org: Int

    func execute(_ context: CommandContext) throws {
        try context.output.emit(OrgMembersOutput(members: try context.orgService(mutating: false).members(org)))
    }
}

// MARK: changes to organizations

struct OrgsCreateCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a pending organization.",
        discussion: """
            Example:
              wwctl orgs create --name "O'Brien & Sons" --slug obrien --commission-rate 0.1

            The name is stored exactly as given. The slug is lower-case letters and digits \
            joined by single hyphens. The commission rate defaults to the platform's.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @Option(help: ArgumentHelp("The display name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The unique slug (acme-supplies).", valueName: "slug"))
    var slug: String

    @Option(help: ArgumentHelp("From 0 to 1, at most 4 decimals (0.125).", valueName: "rate"))
    var commissionRate: String?

    func validate() throws {
        try checkAtParseTime {
            _ = try OrgInput.name(name)
            _ = try OrgInput.slug(slug)
            _ = try commissionRate.map(OrgInput.commissionRate)
        }
    }

    func execute(_ context: CommandContext) throws {
        let rate = try commissionRate.map(OrgInput.commissionRate)
        let report = try context.orgService(mutating: true).create(
            name: name, slug: slug, commissionRate: rate, options: flags.options(context))
        try context.output.emitChange(MutationOutput(report: report, summary: "\(report.target): created '\(name)' (\(slug))"))
    }
}

struct OrgsUpdateCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change an organization's name and/or commission rate.",
        discussion: """
            Example:
              wwctl orgs update 7 --commission-rate 0.08

            Invalidates the org's keys, org:search:*, and every member's user-orgs and perm \
            keys in it; a new rate also the commission keys of the products whose effective \
            rate it changes.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @Argument(help: ArgumentHelp("The org id.", valueName: "org"))
    var org: Int

    @Option(help: ArgumentHelp("The new display name.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The new rate, from 0 to 1, at most 4 decimals.", valueName: "rate"))
    var commissionRate: String?

    func validate() throws {
        if name == nil && commissionRate == nil {
            throw ValidationError("nothing to update: give --name and/or --commission-rate")
        }
        try checkAtParseTime {
            _ = try name.map { try OrgInput.name($0) }
            _ = try commissionRate.map(OrgInput.commissionRate)
        }
    }

    func execute(_ context: CommandContext) throws {
        let rate = try commissionRate.map(OrgInput.commissionRate)
        let report = try context.orgService(mutating: true).update(
            org, name: name, commissionRate: rate, options: flags.options(context))
        try context.output.emitChange(MutationOutput(accessChange: report))
    }
}

struct OrgsSuspendCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend",
        abstract: "Suspend an organization: every permission in it is denied.",
        discussion: """
            Example:
              wwctl orgs suspend 7 --reason "chargeback investigation"
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @Argument(help: ArgumentHelp("The org id.", valueName: "org"))
    var org: Int

    @Option(help: ArgumentHelp("Why (kept with the org and in the audit log).", valueName: "text"))
    var reason: String

    func validate() throws {
        try checkAtParseTime { _ = try OrgInput.text(reason, what: "reason") }
    }

    func execute(_ context: CommandContext) throws {
        let report = try context.orgService(mutating: true).suspend(org, reason: reason, options: flags.options(context))
        try context.output.emitChange(MutationOutput(accessChange: report))
    }
}

struct OrgsActivateCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Activate a pending or suspended organization.",
        discussion: """
            Example:
              wwctl orgs activate 7
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @Argument(help: ArgumentHelp("The org id.", valueName: "org"))
    var org: Int

    func execute(_ context: CommandContext) throws {
        let report = try context.orgService(mutating: true).activate(org, options: flags.options(context))
        try context.output.emitChange(MutationOutput(accessChange: report))
    }
}

// MARK: changes to memberships

/// The membership a member command changes: which org, which user.
struct MembershipArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The org id.", valueName: "org"))
    var org: Int

    @Argument(help: ArgumentHelp("The user id.", valueName: "user"))
    var user: Int
}

struct OrgsAddMemberCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-member",
        abstract: "Add a user to an organization with a role.",
        discussion: """
            Example:
              wwctl orgs add-member 7 42 --role staff

            Invalidates the user's perm keys in this org (never in others), user:orgs:{user}, \
            org:{org}:members and org:{org}:stats.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @OptionGroup var membership: MembershipArguments

    @Option(help: ArgumentHelp("owner, admin, manager, staff or viewer.", valueName: "role"), completion: ShellCompletions.roles)
    var role: String

    func execute(_ context: CommandContext) throws {
        let report = try context.orgService(mutating: true).addMember(
            orgId: membership.org, userId: membership.user, role: role, options: flags.options(context))
        try context.output.emitChange(MutationOutput(accessChange: report))
    }
}

struct OrgsRemoveMemberCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-member",
        abstract: "Remove a user from an organization.",
        discussion: """
            Example:
              wwctl orgs remove-member 7 42 --yes

            Asks first on a terminal; without one, needs --yes. A user who is not a member is \
            left as is (exit 0, unchanged). The org's last owner stays unless --allow-no-owner.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @OptionGroup var membership: MembershipArguments

    @Flag(name: .customLong("allow-no-owner"), help: "Remove the org's last owner too, leaving it without one.")
    var allowNoOwner = false

    func execute(_ context: CommandContext) throws {
        if !flags.dryRun { try context.confirm("remove user \(membership.user) from org \(membership.org)") }
        let report = try context.orgService(mutating: true).removeMember(
            orgId: membership.org, userId: membership.user, allowNoOwner: allowNoOwner, options: flags.options(context))
        try context.output.emitChange(MutationOutput(accessChange: report))
    }
}

struct OrgsSetRoleCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-role",
        abstract: "Change a member's role.",
        discussion: """
            Example:
              wwctl orgs set-role 7 42 admin -o json

            Invalidates the user's perm keys in this org (never in others), user:orgs:{user}, \
            org:{org}:members and org:{org}:stats, by name. The role the member already has \
            is a success that changes nothing (exit 0, unchanged: no audit row, no \
            invalidation). The org's last owner keeps the role unless --allow-no-owner.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @OptionGroup var membership: MembershipArguments

    @Argument(help: ArgumentHelp("owner, admin, manager, staff or viewer.", valueName: "role"), completion: ShellCompletions.roles)
    var role: String

    @Flag(name: .customLong("allow-no-owner"), help: "Take the owner role from the org's last owner too.")
    var allowNoOwner = false

    func execute(_ context: CommandContext) throws {
        let report = try context.orgService(mutating: true).setRole(
            orgId: membership.org, userId: membership.user, role: role, allowNoOwner: allowNoOwner,
            options: flags.options(context))
        try context.output.emitChange(MutationOutput(accessChange: report))
    }
}
