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
            postgres: try postgres(), redis: mutating ? try redis() : nil, keyPrefix: keyPrefix, actor: actor)
    }

    func permissionService(redis withRedis: Bool) throws -> PermissionService {
        PermissionService(
            postgres: try postgres(), redis: withRedis ? try redis() : nil, keyPrefix: keyPrefix, actor: actor)
    }
}

/// A mutation's report (`MutationReport`'s fields in JSON) with a line for people.
struct AccessMutationOutput: Renderable {
    var report: MutationReport
    /// What changed, for people: `org 7 user 42: staff → admin`.
    var summary: String

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
    }

    func renderText(_ context: RenderContext) -> String {
        let outcome = report.invalidation
        var text = (report.dryRun ? context.style.yellow("dry run: ") : "") + summary + "\n"
        if let auditId = report.auditId { text += "audit row \(auditId) (\(report.command))\n" }
        let families = outcome.families.isEmpty ? "" : " (\(outcome.families.joined(separator: ", ")))"
        if report.dryRun {
            text += "would invalidate \(grouped(outcome.keysNamed)) keys by name, \(grouped(outcome.deletedByName)) of them cached\(families)\n"
        } else {
            text += "invalidated \(grouped(outcome.keysNamed)) keys by name, \(grouped(outcome.deletedByName)) of them cached\(families)"
                + " in \(formatMillis(outcome.elapsedMs))\n"
        }
        for sweep in outcome.sweeps {
            let served = sweep.selectors > 1 ? " (one walk for \(grouped(sweep.selectors)) patterns)" : ""
            text += "swept \(sweep.pattern)\(served): \(grouped(sweep.scanned)) keys scanned, \(grouped(sweep.matched)) matched"
                + (report.dryRun ? "\n" : ", \(grouped(sweep.deleted)) deleted\n")
        }
        if let keys = outcome.keys, !keys.isEmpty {
            text += (report.dryRun ? "cached keys it would delete:\n" : "keys:\n")
            for key in keys { text += "  \(key)\n" }
        }
        return text
    }
}
