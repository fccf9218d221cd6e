import CacheOps
import Support

struct WarmResult: Renderable {
    struct Family: Encodable {
        var name: String
        /// Keys of the family this warm wrote that Redis holds at its end.
        var keys: Int
        var written: Int
        var bytes: Int
        var elapsedMs: Double
        var keysPerSecond: Int
        var refused: Int
        var rewarmed: Int
        var unwarmed: Int
        var gone: Int
        var invalidated: Int
        var present: Int
        var unconfirmed: Int
        var rounds: Int
        var incomplete: Bool
    }

    /// What stopped the run part-way, as `{"error": …}` documents say it.
    struct Failure: Encodable {
        var code: Int32
        var kind: String
        var message: String
    }

    /// Keys Redis holds from this warm (a dry run: keys that would be written).
    var keys: Int
    var families: [Family]
    var dryRun: Bool
    var onlyMissing: Bool
    var scope: String
    /// `changeLog` (one server) or `slotEpochs`.
    var guardMode: String
    var written: Int
    var bytes: Int
    var elapsedMs: Double
    var keysPerSecond: Int
    var refused: Int
    var rewarmed: Int
    var unwarmed: Int
    var invalidated: Int
    var unconfirmed: Int
    /// Some family has refused keys left unwarmed: run again (exit 75).
    var incomplete: Bool
    var outOfScope: [String]
    /// Families the run never began (it stopped first).
    var notStarted: [String]
    /// The change log's position the run last read (null: there is none).
    var changeLog: String?
    var interrupted: Bool
    var error: Failure?

    init(_ report: WarmReport, failure: (any CategorizedError)? = nil) {
        keys = report.keys
        families = report.families.map {
            Family(
                name: $0.name, keys: $0.keys, written: $0.written, bytes: $0.bytes,
                elapsedMs: roundedToMicroseconds($0.elapsedSeconds * 1000), keysPerSecond: Int($0.keysPerSecond.rounded()),
                refused: $0.refused, rewarmed: $0.rewarmed, unwarmed: $0.unwarmed, gone: $0.gone, invalidated: $0.invalidated,
                present: $0.present, unconfirmed: $0.unconfirmed, rounds: $0.rounds, incomplete: $0.incomplete)
        }
        dryRun = report.dryRun
        onlyMissing = report.onlyMissing
        scope = report.scope.description
        guardMode = report.guardMode.rawValue
        written = report.written
        bytes = report.bytes
        elapsedMs = roundedToMicroseconds(report.elapsedSeconds * 1000)
        keysPerSecond = Int(report.keysPerSecond.rounded())
        refused = report.refused
        rewarmed = report.rewarmed
        unwarmed = report.unwarmed
        invalidated = report.invalidated
        unconfirmed = report.unconfirmed
        incomplete = report.incomplete
        outOfScope = report.outOfScope
        notStarted = report.notStarted
        changeLog = report.changeLog.text.isEmpty ? nil : report.changeLog.text
        interrupted = failure?.category == .interrupted
        error = failure.map { Failure(code: $0.category.exitCode, kind: $0.category.code, message: $0.message) }
    }

    func renderText(_ context: RenderContext) -> String {
        let changed = refused > 0 || invalidated > 0
        var columns: [TextTable.Column] = [
            .init("FAMILY"), .init("KEYS", .right), .init("BYTES", .right), .init("TIME", .right), .init("KEYS/S", .right),
        ]
        if changed {
            columns += [.init("REFUSED", .right), .init("REWARMED", .right), .init("UNWARMED", .right), .init("INVALIDATED", .right)]
        }
        if onlyMissing { columns.append(.init("PRESENT", .right)) }
        if unconfirmed > 0 { columns.append(.init("UNCONFIRMED", .right)) }
        var table = TextTable(columns)
        func count(_ value: Int) -> String { value == 0 ? "-" : grouped(value) }
        for family in families {
            var cells = [
                family.name, grouped(family.keys), humanBytes(family.bytes), formatMillis(family.elapsedMs),
                grouped(family.keysPerSecond),
            ]
            if changed {
                cells += [count(family.refused), count(family.rewarmed), count(family.unwarmed), count(family.invalidated)]
            }
            if onlyMissing { cells.append(grouped(family.present)) }
            if unconfirmed > 0 { cells.append(count(family.unconfirmed)) }
            table.append(cells)
        }
        let scopeText = scope == "all" ? "" : " for \(scope)"
        var text = table.render(width: context.width, style: context.style)
        if dryRun {
            text += "would write \(countOf(keys, "key")) (\(humanBytes(bytes)))\(scopeText); dry run, nothing written\n"
            return text
        }
        text += "wrote \(countOf(written, "key")) (\(humanBytes(bytes)))\(scopeText) in \(formatMillis(elapsedMs)), "
            + "\(grouped(keysPerSecond)) keys/s"
        text += keys == written ? "\n" : "; Redis holds \(grouped(keys)) of them\n"
        if refused > 0 {
            let gone = families.reduce(0) { $0 + $1.gone }
            text += context.style.dim(
                "\(grouped(refused)) keys refused after concurrent changes: \(grouped(rewarmed)) written again from newer snapshots"
                    + (gone > 0 ? ", \(grouped(gone)) no longer in the database" : "")) + "\n"
        }
        if invalidated > 0 {
            text += context.style.dim("\(grouped(invalidated)) keys this warm wrote were deleted by changes afterwards") + "\n"
        }
        if unconfirmed > 0 {
            text += context.style.dim("\(grouped(unconfirmed)) keys were in a round trip the server never answered: written or not") + "\n"
        }
        if incomplete {
            let names = families.filter(\.incomplete).map(\.name).joined(separator: ", ")
            text += context.style.yellow("incomplete: \(grouped(unwarmed)) keys of \(names) still refused; run again") + "\n"
        }
        if !notStarted.isEmpty {
            text += context.style.yellow("not begun: \(notStarted.joined(separator: ", "))") + "\n"
        }
        if interrupted {
            text += context.style.yellow("interrupted before the end; the counts are what the server confirmed") + "\n"
        } else if error != nil {
            text += context.style.yellow("stopped by an error before the end (below); the counts are what the server confirmed") + "\n"
        }
        return text
    }
}
