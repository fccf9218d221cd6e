import ArgumentParser
import Marketplace
import Support

/// Every mutating domain command's result: JSON is the `MutationReport` itself; people get
/// what changed, the audit row, and what was invalidated (by name, and by sweeps).
struct MutationOutput: Renderable {
    var report: MutationReport
    /// What changed, for people (`org 7 user 42: staff → admin`); by default derived from
    /// the report's before/after (`price 19.99 → 24.90`).
    var summary: String?

    func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        let outcome = report.invalidation
        // Names and values come from operators and end users: escaped, so none forges a line.
        let what = TerminalText.escaped(summary ?? "\(report.target): \(Self.describe(report.change))")
        if report.change["unchanged"]?.boolValue == true {
            return "\(what) already; nothing changed\n"
        }
        var text = (report.dryRun ? context.style.yellow("dry run: ") : "") + what + "\n"
        if let auditId = report.auditId { text += "audit row \(auditId) (\(report.command))\n" }
        let families = outcome.families.isEmpty ? "" : " (\(outcome.families.joined(separator: ", ")))"
        if report.dryRun {
            text += "would invalidate \(grouped(outcome.keysNamed)) keys by name, \(grouped(outcome.deletedByName)) of them cached\(families)\n"
        } else {
            text += "invalidated \(grouped(outcome.keysNamed)) keys by name, \(grouped(outcome.deletedByName)) of them cached\(families)"
                + " in \(formatMillis(outcome.byNameMs))\n"
        }
        for sweep in outcome.sweeps {
            let served = sweep.selectors > 1 ? " (one walk for \(grouped(sweep.selectors)) patterns)" : ""
            text += "\(report.dryRun ? "would sweep" : "swept") \(TerminalText.escaped(sweep.pattern))\(served): \(grouped(sweep.scanned)) keys scanned, "
                + "\(grouped(sweep.matched)) matched" + (report.dryRun ? "" : ", \(grouped(sweep.deleted)) deleted")
                + " in \(formatMillis(sweep.elapsedMs))\n"
        }
        if outcome.interrupted {
            let partial = outcome.sweeps.last.map { " during the sweep of \(TerminalText.escaped($0.pattern))" } ?? ""
            text += context.style.yellow("interrupted (Ctrl-C)\(partial)") + "; the change itself stands"
                + (report.dryRun ? "" : ", and keys the sweeps did not reach may be stale") + "\n"
        }
        for pattern in outcome.skippedSweeps {
            text += "skipped the sweep of \(TerminalText.escaped(pattern)) (\(outcome.interrupted ? "interrupted" : "--no-sweep"))\n"
        }
        if let keys = outcome.keys, !keys.isEmpty {
            text += (report.dryRun ? "cached keys it would delete:\n" : "keys:\n")
            for key in keys { text += "  \(TerminalText.escaped(key))\n" }
        }
        return text
    }

    /// `price 19.99 → 24.90, status draft → active`.
    static func describe(_ change: JSONValue) -> String {
        guard case .object(let after)? = change["after"] else { return change.compactText }
        return after.map { key, value in
            let before = change["before"]?[key].map(Self.plain) ?? "?"
            return "\(key) \(before) → \(Self.plain(value))"
        }.joined(separator: ", ")
    }

    static func plain(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.compactText
    }
}

extension Output {
    /// Emits a change's report. An invalidation Ctrl-C stopped then ends the command with
    /// 130: the change is committed and its report says what was and was not invalidated.
    func emitChange(_ change: MutationOutput) throws {
        try emit(change)
        if change.report.invalidation.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}
