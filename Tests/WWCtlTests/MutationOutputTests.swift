@testable import CacheOps
import Marketplace
import Support
import Testing
@testable import WWCtl

@Suite struct MutationOutputTests {
    func report(interrupted: Bool, dryRun: Bool = false) -> MutationReport {
        var outcome = PlanOutcome(keysNamed: 48, deletedByName: 40, sweeps: [
            .init(pattern: "org:search:*", scanned: 1000, matched: 3, deleted: 3),
        ], families: ["perm"], dryRun: dryRun, keys: nil)
        outcome.interrupted = interrupted
        if interrupted { outcome.skippedSweeps = ["commission:*:*"] }
        return MutationReport(
            command: "orgs set-role", target: "org 7 user 42", change: .object([]), dryRun: dryRun, auditId: dryRun ? nil : 9,
            invalidation: outcome)
    }

    let plain = RenderContext(width: nil, style: Style(enabled: false), verbose: false, stdoutIsTTY: false)

    /// An invalidation Ctrl-C stopped is reported as such: where it stopped, which sweeps
    /// did not run, and that the change itself stands.
    @Test func anInterruptedInvalidationSaysWhatItDidNotReach() {
        let text = MutationOutput(report: report(interrupted: true), summary: "org 7 user 42: role staff → admin").renderText(plain)
        #expect(text.contains("interrupted (Ctrl-C) during the sweep of org:search:*; the change itself stands, and keys the sweeps did not reach may be stale"))
        #expect(text.contains("skipped the sweep of commission:*:* (interrupted)"))
        #expect(text.contains("audit row 9"))
    }

    @Test func aCompleteInvalidationSaysNothingOfInterrupts() {
        let text = MutationOutput(report: report(interrupted: false), summary: "x").renderText(plain)
        #expect(!text.contains("interrupted"))
        #expect(text.contains("invalidated 48 keys by name, 40 of them cached (perm)"))
    }
}
