import ArgumentParser
import CacheOps
import Marketplace
import Postgres
import Redis
import Support

/// The flags every orgs and perms mutation takes.
struct AccessMutationFlags: ParsableArguments {
    @Flag(help: "Show the change and the keys it would invalidate; write and delete nothing.")
    var dryRun = false

    @Flag(help: ArgumentHelp(
        "Also sweep the affected key patterns with SCAN.",
        discussion: "Each sweep walks the whole keyspace (about 1.2 s per 2,000,000 keys); without it the keys are deleted by name."))
    var sweep = false

    func options(_ context: CommandContext) -> AccessMutationOptions {
        AccessMutationOptions(dryRun: dryRun, sweep: sweep, listKeys: context.output.verbose)
    }
}

extension CommandContext {
    /// The orgs service with what a mutation needs: Redis is connected before anything
    /// changes, so an unreachable Redis fails the command (69) with nothing committed.
    func orgService(mutating: Bool) throws -> OrgService {
        OrgService(
            postgres: try postgres(), redis: mutating ? try redis() : nil, keyspace: keyspace, actor: actor)
    }

    func permissionService(redis withRedis: Bool) throws -> PermissionService {
        PermissionService(
            postgres: try postgres(), redis: withRedis ? try redis() : nil, keyspace: keyspace, actor: actor)
    }
}
