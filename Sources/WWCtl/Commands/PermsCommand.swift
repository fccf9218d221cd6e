import ArgumentParser
import Marketplace
import Support

struct PermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perms",
        abstract: "Check, list and change permissions; audit the cached answers.",
        discussion: """
            Example:
              wwctl perms check 42 7 product update --explain

            A user may perform an action on a resource in an org when they are a member, \
            their role is granted the permission, and the org is not suspended (a pending \
            org grants its members their roles' permissions). The app caches each answer at \
            perm:{user}:{org}:{resource}:{action} as true or false.
            """,
        subcommands: [
            PermsCheckCommand.self, PermsListCommand.self, PermsRolesCommand.self,
            PermsGrantCommand.self, PermsRevokeCommand.self, PermsAuditCommand.self,
        ])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

struct PermsCheckCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Whether a user may do an action in an org (exit 0 allowed, 1 denied), and the cached answer.",
        discussion: """
            Example:
              wwctl perms check 42 7 product update --explain

            The answer comes from the database (membership, role, grant; a suspended org \
            denies everything) and is compared with the value cached at the registry's \
            perm key: cached is that value (null when absent), stale is true when it \
            differs from the database.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The user id.", valueName: "user"), completion: ShellCompletions.users) var user: Int
    @Argument(help: ArgumentHelp("The org id.", valueName: "org"), completion: ShellCompletions.orgsOfUser) var org: Int
    @Argument(help: ArgumentHelp("The resource (product).", valueName: "resource"), completion: ShellCompletions.resources)
    var resource: String
    @Argument(help: ArgumentHelp("The action (read, create, update, delete).", valueName: "action"), completion: ShellCompletions.actions)
    var action: String

    @Flag(help: "Print the chain: membership, role, grant, or where it breaks.")
    var explain = false

    func execute(_ context: CommandContext) throws {
        let decision = try context.permissionService(redis: true).check(
            userId: user, orgId: org, resource: resource, action: action)
        try context.output.emit(PermsCheckOutput(decision: decision, explain: explain))
        if !decision.allowed { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}

struct PermsListCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "A user's permissions in each of their orgs (or in one).",
        discussion: """
            Example:
              wwctl perms list --user 42 --org 7

            permissions is what perms check allows (none while the org is suspended); \
            rolePermissions what the role grants.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The user id.", valueName: "user")) var user: Int
    @Option(help: ArgumentHelp("Only this org.", valueName: "org")) var org: Int?

    func execute(_ context: CommandContext) throws {
        let list = try context.permissionService(redis: false).list(userId: user, orgId: org)
        try context.output.emit(PermsListOutput(entries: list))
    }
}

struct PermsRolesCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "The role → permission matrix.",
        discussion: """
            Example:
              wwctl perms roles -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) throws {
        try context.output.emit(PermsRolesOutput(matrix: try context.permissionService(redis: false).roles()))
    }
}

struct PermsGrantCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Grant a permission to a role.",
        discussion: """
            Example:
              wwctl perms grant staff product:delete

            Invalidates perm:{user}:{org}:{resource}:{action} of every membership holding the \
            role, by name (the holders are read in one query).
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @Argument(help: ArgumentHelp("owner, admin, manager, staff or viewer.", valueName: "role"), completion: ShellCompletions.roles) var role: String
    @Argument(help: ArgumentHelp("RESOURCE:ACTION (product:delete).", valueName: "permission")) var permission: String

    func execute(_ context: CommandContext) throws {
        let report = try context.permissionService(redis: true).grant(role: role, permission: permission, options: flags.options(context))
        try context.output.emitChange(MutationOutput(report: report, summary: grantSummary(report)))
    }
}

struct PermsRevokeCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a permission from a role.",
        discussion: """
            Example:
              wwctl perms revoke staff product:update --dry-run

            Invalidates perm:{user}:{org}:{resource}:{action} of every membership holding the \
            role, by name (the holders are read in one query).
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup(title: "Change options") var flags: AccessMutationFlags

    @Argument(help: ArgumentHelp("owner, admin, manager, staff or viewer.", valueName: "role"), completion: ShellCompletions.roles) var role: String
    @Argument(help: ArgumentHelp("RESOURCE:ACTION (product:update).", valueName: "permission")) var permission: String

    func execute(_ context: CommandContext) throws {
        let report = try context.permissionService(redis: true).revoke(role: role, permission: permission, options: flags.options(context))
        try context.output.emitChange(MutationOutput(report: report, summary: grantSummary(report)))
    }
}

struct PermsAuditCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Cached perm values that disagree with the database (exit 1 when some are left).",
        discussion: """
            Example:
              wwctl perms audit --sample 10000 --fix

            Walks the perm keys with SCAN, reads them in pipelined batches and compares each \
            batch with the database in one query. --sample stops after N keys; --fix deletes \
            the stale ones by name.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Compare at most this many keys.", valueName: "n")) var sample: Int?
    @Flag(help: "Delete the stale entries.") var fix = false

    func validate() throws {
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1, got \(sample)") }
    }

    func execute(_ context: CommandContext) throws {
        let service = try context.permissionService(redis: true)
        let progress = context.output.progress("auditing perm keys")
        let report = try service.audit(sample: sample, fix: fix) { checked, stale in
            progress.update("\(grouped(checked)) checked, \(grouped(stale)) stale")
        }
        progress.finish()
        try context.output.emit(PermsAuditOutput(report: report))
        if report.staleCount > report.fixed { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}
