import Testing
import Keyspace
import Support
@testable import CacheOps

/// Declarations and the one emitter, without servers: every declaration plans for every
/// scope that reaches it; a declaration in error fails when planned (not with an empty
/// SQL fragment at run time); and the emitter turns COPY rows into the keys and values
/// each layout promises.
@Suite struct WarmDeclarationTests {
    @Test func everyDeclarationPlansForEveryScopeThatReachesIt() throws {
        for declaration in WarmSources.all {
            let name = declaration.family.name
            for scope in WarmScope.Kind.allCases where WarmSources.reaches(name, scope) {
                let plan = try WarmPlan(declaration, scope: scope)
                #expect(plan.query.contains("SELECT "), "\(name) \(scope)")
                #expect(plan.copySQL.hasPrefix("COPY (") && plan.copySQL.hasSuffix(") TO STDOUT"))
                #expect(plan.columnCount >= 1)
                #expect(plan.key.count == declaration.family.parameters.count)
                // The scope's id is read only when a scope narrows the rows.
                #expect(plan.query.contains(WarmSQL.scopeID) == (scope != .all), "\(name) \(scope)")
            }
            for scope in WarmScope.Kind.allCases where !WarmSources.reaches(name, scope) {
                #expect(throws: WWError.self, "\(name) \(scope)") { try WarmPlan(declaration, scope: scope) }
            }
        }
    }

    @Test func theSelectListHoldsEachExpressionOnceKeyFirst() throws {
        let plan = try WarmPlan(.vendorEarnings, scope: .org)
        let select = plan.query.components(separatedBy: "\n")[0]
        #expect(select.hasPrefix("SELECT oi.organization_id, to_char(date_trunc('month', oi.created_at), 'YYYY-MM'), count("))
        #expect(plan.columnCount == 8)
        // The perm rows: user, org, whether the org is suspended, the mask.
        let perm = try WarmPlan(.perm, scope: .all)
        #expect(perm.columnCount == 4)
        #expect(perm.query.contains("SELECT ou.user_id, ou.organization_id, o.status = 'suspended', m.mask\n"))
    }

    // MARK: declarations in error

    private static let family = KeyFamily(
        name: "test-item", template: KeyTemplate(.literal("item"), .param("id", .integer)), ttl: .fixed(seconds: 60),
        tier: .l2, valueShape: "JSON", valueKind: .object, warmability: .warmable(from: "tests"), staleOn: [],
        summary: "A family for the tests.")

    private func declaration(
        _ family: KeyFamily = family, layout: WarmLayout = .row, key: [WarmKeyPart] = [.column("t.id")],
        value: WarmValue, with: (@Sendable (WarmQueryScope) throws -> String)? = nil, orderBy: [String] = ["t.id"]
    ) -> WarmDeclaration {
        WarmDeclaration(family, layout: layout, key: key, value: value, with: with, from: { _ in "FROM t" }, orderBy: orderBy)
    }

    private func planError(_ declaration: WarmDeclaration) -> String? {
        do {
            _ = try WarmPlan(declaration, scope: .all)
            return nil
        } catch let error as WWError {
            #expect(error.category == .internalError)
            return "\(error)"
        } catch {
            return "\(error)"
        }
    }

    @Test func aDeclarationInErrorFailsWhenPlanned() {
        let id = WarmValue.column("t.id", .integer)
        let cases: [(String, WarmDeclaration)] = [
            ("parameters", declaration(key: [], value: id)),
            ("parameters", declaration(key: [.column("t.id"), .column("t.x")], value: id)),
            ("not an integer id", declaration(key: [.constant("x")], value: id)),
            ("catalog", declaration(key: [.catalog("id")], value: id)),
            ("has a list", declaration(value: .list(id))),
            ("no list", declaration(layout: .group, value: id)),
            ("ordered by its key", declaration(layout: .group, value: .list(id), orderBy: ["t.name", "t.id"])),
            ("ordered by its key", declaration(layout: .group, value: .list(id), orderBy: [])),
            ("more than one list", declaration(layout: .group, value: .object([.list("a", id), .list("b", id)]))),
            ("after the list", declaration(layout: .group, value: .object([.list("a", id), .integer("b", "t.b")]))),
            ("inside a list", declaration(layout: .group, value: .list(.object([.list("a", id)])))),
            ("twice", declaration(value: .object([.integer("a", "t.a"), .integer("a", "t.b")]))),
            ("field name", declaration(value: .object([.integer("a\"b", "t.a")]))),
            ("field name", declaration(value: .object([.integer("", "t.a")]))),
            ("grant", declaration(value: .grant(mask: "t.m", denied: "false"))),
            ("grant", declaration(layout: .catalog(columns: ["id"], from: "FROM c"), value: id)),
            ("constants", declaration(layout: .whole, value: .list(id))),
            ("only in its list", declaration(layout: .whole, key: [.constant("1")], value: .object([.integer("n", "t.n"), .list("a", id)]))),
            ("constants", declaration(layout: .tree(id: "t.id", parent: "t.p", children: "c", maxDepth: 4), value: .object([]))),
            ("object", declaration(layout: .tree(id: "t.id", parent: "t.p", children: "c", maxDepth: 4), key: [.constant("1")], value: id)),
            ("no window", declaration(value: id, with: { _ in throw WWError.internalError("warm test-item: no window for period 'year'") })),
        ]
        for (expected, declaration) in cases {
            let message = planError(declaration)
            #expect(message?.contains(expected) == true, "expected an error about \(expected), got \(message ?? "none")")
        }
    }

    @Test func adminWindowsRefuseAPeriodTheyHaveNoUnitFor() {
        let yearly = KeyFamily(
            name: "admin-yearly", template: KeyTemplate(.literal("admin"), .param("period", .enumeration(["today", "year"]))),
            ttl: .fixed(seconds: 60), tier: .l3, valueShape: "JSON", valueKind: .object,
            warmability: .warmable(from: "tests"), staleOn: [], summary: "Periods without a window.")
        #expect(throws: WWError.internalError("warm admin-yearly: no window for period 'year'")) {
            try AdminPeriods.windows(yearly)
        }
        #expect(throws: WWError.self) { try AdminPeriods.windows(Self.family) }
        #expect((try? AdminPeriods.windows(.adminStats))?.contains("(2, 'month', 'month')") == true)
    }

    @Test func aTTLThatDependsOnAParameterIsTheRegistrysForEachValue() throws {
        let plan = try WarmPlan(.adminStats, scope: .all)
        guard case .byColumn(let part, let values, let otherwise) = plan.ttl else {
            Issue.record("admin-stats has a TTL by period")
            return
        }
        #expect(part == 0 && otherwise == 3600)
        #expect(values.map { String(decoding: $0.0, as: UTF8.self) } == ["today"] && values.map(\.1) == [300])
        let none = KeyFamily(
            name: "test-none", template: KeyTemplate(.literal("none"), .param("id", .integer)), ttl: .none, tier: .l2,
            valueShape: "JSON", valueKind: .object, warmability: .warmable(from: "tests"), staleOn: [], summary: "No TTL.")
        #expect(planError(declaration(none, value: .column("t.id", .integer)))?.contains("no TTL") == true)
    }

    // MARK: the emitter, on COPY text

    /// Keys and values (and TTLs in seconds) the emitter makes of `copy` for `declaration`.
    private func emit(_ declaration: WarmDeclaration, _ copy: String, prefix: String = "") throws -> [(String, String, Int64)] {
        let plan = try WarmPlan(declaration, scope: .all)
        let emitter = try WarmEmitter(plan, in: keyspace(prefix))
        let batches = BatchBox()
        var sink = WarmSink(
            pass: scratchPass(), maxKeys: 2, maxBytes: 1 << 20, dryRun: false, jitter: TTLJitter(fraction: 0),
            deliver: { batches.items.append($0) })
        var parser = CopyRowParser(columns: plan.columnCount)
        let bytes = Array(copy.utf8)
        try bytes.withUnsafeBytes { chunk in try parser.parse(chunk) { row in try emitter.consume(row, &sink) } }
        try emitter.finish(&sink)
        try sink.flush()
        var out: [(String, String, Int64)] = []
        for batch in batches.items {
            var keyStart = 0
            var valueStart = 0
            for index in 0..<batch.count {
                let key = String(decoding: batch.keyBytes[keyStart..<batch.keyEnds[index]], as: UTF8.self)
                let value = String(decoding: batch.valueBytes[valueStart..<batch.valueEnds[index]], as: UTF8.self)
                out.append((key, value, batch.ttls[index] / 1000))
                keyStart = batch.keyEnds[index]
                valueStart = batch.valueEnds[index]
            }
        }
        return out
    }

    private final class BatchBox: @unchecked Sendable {
        var items: [WarmBatch] = []
    }

    @Test func aRowLayoutWritesAKeyPerRowWithEveryKind() throws {
        let declaration = declaration(value: .object([
            .integer("id", "t.id"), .string("name", "t.name"), .decimal("price", "t.price"), .boolean("ok", "t.ok"),
            .timestamp("at", "t.at"), .document("doc", "t.doc"),
            .object("inner", [.string("note", "t.note")]),
        ]))
        let rows = try emit(declaration, """
            7\ttab\\there "q"\t19.90\tt\t2026-11-15 12:00:00.5+00\t{"a": [1, 2]}\t\\N
            8\t\\N\t\\N\tf\t\\N\t\\N\tx

            """, prefix: "app:")
        #expect(rows.map(\.0) == ["app:item:7", "app:item:8"])
        #expect(rows[0].1 == #"{"id":7,"name":"tab\there \"q\"","price":"19.90","ok":true,"at":"2026-11-15T12:00:00.500Z","doc":{"a":[1,2]},"inner":{"note":null}}"#)
        #expect(rows[1].1 == #"{"id":8,"name":null,"price":null,"ok":false,"at":null,"doc":null,"inner":{"note":"x"}}"#)
        #expect(rows.allSatisfy { $0.2 == 60 })
    }

    @Test func aGroupLayoutWritesAKeyPerRunOfRowsWithItsListLast() throws {
        let declaration = declaration(
            layout: .group,
            value: .object([.integer("id", "t.id"), .list("items", .object([.string("name", "i.name")]), presentWhen: "i.name")]))
        #expect(try WarmPlan(declaration, scope: .all).query == "SELECT t.id, i.name\nFROM t\nORDER BY t.id")
        let rows = try emit(declaration, "1\ta\n1\tb\n2\t\\N\n3\tc\n")
        #expect(rows.map(\.0) == ["item:1", "item:2", "item:3"])
        #expect(rows.map(\.1) == [
            #"{"id":1,"items":[{"name":"a"},{"name":"b"}]}"#, #"{"id":2,"items":[]}"#, #"{"id":3,"items":[{"name":"c"}]}"#,
        ])
        // A bare list, and a key of two columns.
        let pairs = KeyFamily(
            name: "test-pair", template: KeyTemplate(.literal("pair"), .param("a", .integer), .param("b", .token)),
            ttl: .fixed(seconds: 60), tier: .l2, valueShape: "JSON", valueKind: .array, warmability: .warmable(from: "tests"),
            staleOn: [], summary: "Pairs.")
        let list = WarmDeclaration(
            pairs, layout: .group, key: [.column("t.a"), .column("t.b")], value: .list(.column("t.n", .integer)),
            from: { _ in "FROM t" }, orderBy: ["t.a", "t.b", "t.n"])
        let listed = try emit(list, "1\tx\t5\n1\tx\t6\n1\ty\\ty\t7\n")
        #expect(listed.map(\.0) == ["pair:1:x", "pair:1:y\ty"])
        #expect(listed.map(\.1) == ["[5,6]", "[7]"])
    }

    @Test func aWholeLayoutWritesItsOneKeyEvenWithoutRows() throws {
        let declaration = declaration(layout: .whole, key: [.constant("10")], value: .list(.column("t.id", .integer)))
        #expect(try emit(declaration, "").map { [$0.0, $0.1] } == [["item:10", "[]"]])
        #expect(try emit(declaration, "3\n1\n").map { [$0.0, $0.1] } == [["item:10", "[3,1]"]])
    }

    @Test func aTreeLayoutNestsRowsUnderTheirParentsAndLeavesCyclesOut() throws {
        let tree = KeyFamily(
            name: "test-tree", template: KeyTemplate(.literal("tree")), ttl: .fixed(seconds: 60), tier: .l2,
            valueShape: "JSON", valueKind: .array, warmability: .warmable(from: "tests"), staleOn: [], summary: "A tree.")
        let declaration = WarmDeclaration(
            tree, layout: .tree(id: "t.id", parent: "t.parent", children: "kids", maxDepth: 4), key: [],
            value: .object([.integer("id", "t.id")]), from: { _ in "FROM t" })
        // 5 and 6 are each other's parent: no root reaches them.
        let rows = try emit(declaration, "2\t1\n1\t\\N\n3\t2\n4\t\\N\n5\t6\n6\t5\n")
        #expect(rows.map { [$0.0, $0.1] } == [["tree", #"[{"id":1,"kids":[{"id":2,"kids":[{"id":3,"kids":[]}]}]},{"id":4,"kids":[]}]"#]])
        #expect(throws: WWError.self) { try self.emit(declaration, "1\t\\N\n2\t1\n3\t2\n4\t3\n") }
    }

    @Test func aRowLayoutTakesATTLByParameterFromTheRow() throws {
        let rows = try emit(.adminStats, Self.adminRow("today") + Self.adminRow("week"))
        #expect(rows.map(\.0) == ["admin:stats:today", "admin:stats:week"])
        #expect(rows.map(\.2) == [300, 3600])
        #expect(rows[0].1.hasPrefix(#"{"period":"today","from":"2026-11-15T00:00:00.000Z","to":"#))
    }

    private static func adminRow(_ period: String) -> String {
        "\(period)\t2026-11-15 00:00:00+00\t2026-11-15 12:00:00+00\t1\t1\t10.00\t10.00\t0\t0\n"
    }

    @Test func aCatalogLayoutWritesAKeyPerEntryAndChecksTheMask() throws {
        let plan = try WarmPlan(.perm, scope: .all)
        let emitter = try WarmEmitter(plan, in: unprefixed)
        // The catalog as `prepare` reads it would come from PostgreSQL; the mask must cover it.
        var sink = WarmSink(
            pass: scratchPass(), maxKeys: 8, maxBytes: 1 << 20, dryRun: true, jitter: TTLJitter(fraction: 0),
            deliver: { _ in })
        var parser = CopyRowParser(columns: plan.columnCount)
        let bytes = Array("1\t2\tf\ttt\n".utf8)
        #expect(throws: WWError.self) {
            try bytes.withUnsafeBytes { chunk in try parser.parse(chunk) { row in try emitter.consume(row, &sink) } }
        }
    }
}
