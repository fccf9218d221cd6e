import Support

struct MigrateResult: Renderable {
    struct Applied: Encodable {
        var version: Int
        var name: String
        var elapsedMs: Double
    }

    var applied: [Applied]
    var currentVersion: Int
    var alreadyCurrent: Bool

    func renderText(_ context: RenderContext) -> String {
        if alreadyCurrent { return "schema is current (version \(currentVersion)); nothing to apply\n" }
        var text = ""
        for migration in applied {
            text += "applied \(migration.version) \(migration.name) (\(formatMillis(migration.elapsedMs)))\n"
        }
        return text + "schema is at version \(currentVersion)\n"
    }
}

struct DBStatusResult: Renderable {
    struct Entry: Encodable {
        var version: Int
        var name: String
        var appliedAt: String?
        var pending: Bool
        var checksumMatches: Bool
        var known: Bool
    }

    var current: Bool
    var migrations: [Entry]

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("VERSION", .right), .init("NAME"), .init("STATE"), .init("APPLIED AT")])
        for m in migrations {
            let state: TextTable.Cell
            if !m.known { state = .init("unknown to this binary", paint: context.style.red) }
            else if m.pending { state = .init("pending", paint: context.style.yellow) }
            else if !m.checksumMatches { state = .init("changed since applied", paint: context.style.red) }
            else { state = .init("applied") }
            table.append(cells: [.init(String(m.version)), .init(m.name), state, .init(m.appliedAt ?? "-")])
        }
        let pending = migrations.filter(\.pending).count
        return table.render(width: context.width)
            + (current ? "schema is current\n" : "\(pending) pending; run: wwctl db migrate\n")
    }
}

struct SeedResult: Renderable {
    struct Table: Encodable {
        var table: String
        var rows: Int
    }

    var scale: String
    var seed: UInt64
    var tables: [Table]
    var totalRows: Int
    var elapsedMs: Double
    var databaseBytes: Int?

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("TABLE"), .init("ROWS", .right)])
        for t in tables { table.append(t.table, grouped(t.rows)) }
        let size = databaseBytes.map { ", database \(humanBytes($0))" } ?? ""
        return table.render(width: context.width)
            + "seeded \(grouped(totalRows)) rows (scale \(scale), seed \(seed)) in \(formatMillis(elapsedMs))\(size)\n"
    }
}
