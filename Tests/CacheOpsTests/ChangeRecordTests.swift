import Testing
import Keyspace
import Support
@testable import CacheOps

/// The change log's records and what a warm derives from them, without servers.
@Suite struct ChangeRecordTests {
    let app = keyspace("app:")

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func recordsRoundTripThroughTheirBytes() throws {
        let binary: [UInt8] = [0xFF, 0x00, 0x0A, UInt8(ascii: ":"), 0x80]
        let record = ChangeRecord([
            .init("perm", .keys([bytes("perm:1:2:product:read"), binary, []])),
            .init("commission", .selector([KeyParam("productId", "17")])),
            .init("org", .all),
            .init("commission", .swept(of: 42, keys: [bytes("commission:17:9.5")])),
            .init("stock", .keys([])),
        ])
        #expect(try ChangeRecord.decode(record.encoded()) == record)
        #expect(try ChangeRecord.decode(ChangeRecord().encoded()) == ChangeRecord())
        #expect(record.families == ["perm", "commission", "org", "stock"])
        #expect(record.selectorFamilies == ["commission"])
    }

    @Test func damagedRecordsAreDataErrorsNotCrashes() {
        let good = ChangeRecord([.init("perm", .keys([bytes("perm:1:2:a:b")]))]).encoded()
        for cut in 0..<good.count {
            let damaged = Array(good[..<cut])
            if cut == 1 { continue }  // the version byte alone is the empty record
            #expect(throws: WWError.self) { try ChangeRecord.decode(damaged) }
        }
        #expect(throws: WWError.self) { try ChangeRecord.decode([9]) }
        var unknownKind = good
        unknownKind[1 + 4 + 4] = UInt8(ascii: "z")
        #expect(throws: WWError.self) { try ChangeRecord.decode(unknownKind) }
        // A count far beyond the bytes left is refused before anything is reserved.
        #expect(throws: WWError.self) { try ChangeRecord.decode([1, 0, 0, 0, 0, UInt8(ascii: "k"), 0xFF, 0xFF, 0xFF, 0x7F]) }
    }

    @Test func keysAreGroupedByWarmableFamilyUnderThePrefix() {
        let record = ChangeRecord.keys([
            bytes("app:perm:1:2:product:read"), bytes("app:session:abc"), bytes("app:user:7:orgs"),
            bytes("app:perm:3:4:order:read"), bytes("perm:1:2:product:read"), bytes("app:stock:9"), bytes("app:ratelimit:1:/x"),
        ], in: app)
        #expect(record == ChangeRecord([
            .init("perm", .keys([bytes("app:perm:1:2:product:read"), bytes("app:perm:3:4:order:read")])),
            // A legacy form is recorded under its family (the warm never writes it).
            .init("user-orgs", .keys([bytes("app:user:7:orgs")])),
            .init("stock", .keys([bytes("app:stock:9")])),
        ]))
        #expect(ChangeRecord.keys([bytes("app:session:abc")], in: app).isEmpty)
        #expect(ChangeRecord.all(["perm", "session", "perm", "org"], in: app) == ChangeRecord([.init("perm", .all), .init("org", .all)]))
    }

    @Test func selectorsWithoutParametersTouchTheWholeFamily() throws {
        let record = ChangeRecord.selectors([
            try app.selector(.commission, params: ["productId": "17"]),
            try app.selector(.perm),
            try app.selector(.orgSearch),
        ])
        #expect(record == ChangeRecord([.init("commission", .selector([KeyParam("productId", "17")])), .init("perm", .all)]))
    }

    @Test func positionsParseAndOrder() throws {
        let first = try #require(ChangeLogPosition("a1b2:7"))
        #expect(first.id == "a1b2" && first.count == 7 && first.text == "a1b2:7")
        #expect(ChangeLogPosition("nocolon") == nil && ChangeLogPosition(":5") == nil && ChangeLogPosition("a:-1") == nil)
        #expect(first.isContinued(by: try #require(ChangeLogPosition("a1b2:9"))))
        #expect(!first.isContinued(by: try #require(ChangeLogPosition("a1b2:6"))))
        #expect(!first.isContinued(by: try #require(ChangeLogPosition("ffff:9"))))
        #expect(ChangeLogPosition.none.isContinued(by: first))
    }

    @Test func aPassFilterRefusesExactlyWhatRecordsAfterItsBaseTouch() throws {
        let base = try #require(ChangeLogPosition("x:5"))
        var filter = WarmChangeView.PassFilter(family: "perm", base: base)
        let named = bytes("perm:1:2:product:read")
        filter.apply(5, ChangeRecord([.init("perm", .keys([bytes("perm:9:9:a:b")]))]), in: unprefixed)
        filter.apply(6, ChangeRecord([.init("perm", .keys([named])), .init("org", .all)]), in: unprefixed)
        func refuses(_ key: [UInt8]) -> Bool {
            key.withUnsafeBufferPointer { filter.refuses($0, hash: KeyHash.of(key)) }
        }
        #expect(refuses(named))
        #expect(!refuses(bytes("perm:9:9:a:b")))  // recorded at or before the base
        #expect(!refuses(bytes("perm:1:2:product:update")))
        filter.apply(7, ChangeRecord([.init("perm", .selector([KeyParam("userId", "3")]))]), in: unprefixed)
        #expect(refuses(bytes("perm:3:8:order:read")) && !refuses(bytes("perm:4:3:order:read")))
        filter.apply(8, ChangeRecord([.init("perm", .all)]), in: unprefixed)
        #expect(refuses(bytes("perm:4:3:order:read")))
    }

    @Test func writtenKeysAnswerMembershipAfterSealing() {
        var written = WrittenKeys()
        let hashes = (0..<200_000).map { KeyHash.of(Array("perm:\($0):1:a:b".utf8)) }
        written.append(hashes[..<150_000])
        let early = written.contains(hashes[42])
        #expect(early)
        written.append(hashes[150_000...])
        #expect(written.count == 200_000)
        #expect(hashes.allSatisfy { written.contains($0) })
        let absent = written.contains(KeyHash.of(Array("perm:0:2:a:b".utf8)))
        #expect(!absent)
        #expect(Set(hashes).count == hashes.count)
    }
}

@Suite struct WarmEntityFilterTests {
    func plan(_ name: String) throws -> WarmPlan {
        try #require(try WarmSources.plans([name], scope: .all)[name])
    }

    @Test func refusedPermKeysAreReadAgainByMembership() throws {
        var interest = WarmInterest()
        interest.keys = [Array("perm:7:3:product:read".utf8), Array("perm:7:3:order:read".utf8), Array("perm:9:1:a:b".utf8)]
        let filter = try #require(WarmEntityFilter.make(try plan("perm"), interest, in: unprefixed))
        #expect(filter.condition == "(ou.user_id, ou.organization_id) IN (SELECT * FROM unnest(current_setting('wwctl.rewarm_0')::bigint[], current_setting('wwctl.rewarm_1')::bigint[]))")
        #expect(filter.settings == ["{\"7\",\"9\"}", "{\"3\",\"1\"}"])
    }

    @Test func selectorsNarrowByTheColumnsTheyFixAndTextIsQuoted() throws {
        var interest = WarmInterest()
        interest.selectors = [[KeyParam("productId", "17")]]
        interest.keys = [Array("commission:5:19.9".utf8)]
        let filter = try #require(WarmEntityFilter.make(try plan("commission"), interest, in: unprefixed))
        #expect(filter.condition.contains("::numeric[]"))
        #expect(filter.condition.hasSuffix("OR p.id = current_setting('wwctl.rewarm_2')::bigint"))
        #expect(filter.settings == ["{\"5\"}", "{\"19.9\"}", "17"])
        #expect(WarmEntityFilter.arrayText(["a\"b", "c\\d", ""]) == #"{"a\"b","c\\d",""}"#)
    }

    @Test func wholeFamiliesAndKeysWithoutColumnsReadEveryRow() throws {
        var all = WarmInterest()
        all.all = true
        #expect(WarmEntityFilter.make(try plan("perm"), all, in: unprefixed) == nil)
        var tree = WarmInterest()
        tree.keys = [Array("categories:tree".utf8)]
        #expect(WarmEntityFilter.make(try plan("category-tree"), tree, in: unprefixed) == nil)
        // A selector that fixes no column (a permission across every membership): every row.
        var grant = WarmInterest()
        grant.selectors = [[KeyParam("resource", "product"), KeyParam("action", "read")]]
        #expect(WarmEntityFilter.make(try plan("perm"), grant, in: unprefixed) == nil)
    }
}
