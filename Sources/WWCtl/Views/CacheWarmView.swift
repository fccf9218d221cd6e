import CacheOps
import Support

struct WarmResult: Renderable {
    struct Family: Encodable {
        var name: String
        var keys: Int
        var bytes: Int
        var elapsedMs: Double
        var keysPerSecond: Int
        var skipped: Int
        var present: Int
        var retried: Bool
        var incomplete: Bool
    }

    /// Keys written (a dry run: keys that would be written).
    var keys: Int
    var families: [Family]
    var dryRun: Bool
    var onlyMissing: Bool
    var scope: String
    var bytes: Int
    var elapsedMs: Double
    var keysPerSecond: Int
    /// Keys refused by the epoch guard (concurrent changes), over all families.
    var skipped: Int
    var outOfScope: [String]

    init(_ report: WarmReport) {
        keys = report.keys
        families = report.families.map {
            Family(
                name: $0.name, keys: $0.keys, bytes: $0.bytes, elapsedMs: roundedToMicroseconds($0.elapsedSeconds * 1000),
                keysPerSecond: Int($0.keysPerSecond.rounded()), skipped: $0.skipped, present: $0.present,
                retried: $0.retried, incomplete: $0.incomplete)
        }
        dryRun = report.dryRun
        onlyMissing = report.onlyMissing
        scope = report.scope.description
        bytes = report.bytes
        elapsedMs = roundedToMicroseconds(report.elapsedSeconds * 1000)
        keysPerSecond = Int(report.keysPerSecond.rounded())
        skipped = report.skipped
        outOfScope = report.outOfScope
    }

    func renderText(_ context: RenderContext) -> String {
        var columns: [TextTable.Column] = [
            .init("FAMILY"), .init("KEYS", .right), .init("BYTES", .right), .init("TIME", .right),
            .init("KEYS/S", .right), .init("SKIPPED", .right),
        ]
        if onlyMissing { columns.append(.init("PRESENT", .right)) }
        var table = TextTable(columns)
        for family in families {
            var cells = [
                family.name, grouped(family.keys), humanBytes(family.bytes), formatMillis(family.elapsedMs),
                grouped(family.keysPerSecond), family.skipped == 0 ? "-" : grouped(family.skipped),
            ]
            if onlyMissing { cells.append(grouped(family.present)) }
            table.append(cells)
        }
        let verb = dryRun ? "would write" : "wrote"
        let scopeText = scope == "all" ? "" : " for \(scope)"
        return table.render(width: context.width, style: context.style)
            + "\(verb) \(countOf(keys, "key")) (\(humanBytes(bytes)))\(scopeText) in \(formatMillis(elapsedMs)), "
            + "\(grouped(keysPerSecond)) keys/s\n"
    }
}
