import Foundation
import Testing
import Keyspace
import Support
@testable import CacheOps

/// The warmer's pure parts: sources against the registry, key rendering, COPY text,
/// JSON strings and timestamps as the app writes them, TTL jitter.
@Suite struct WarmUnitTests {
    @Test func everyWarmableFamilyHasExactlyOneDeclaration() {
        let registry = Set(KeyspaceRegistry.standard.families.filter { $0.warmability.isWarmable }.map(\.name))
        let sources = WarmSources.all.map { $0.family.name }
        #expect(Set(sources) == registry)
        #expect(sources.count == registry.count)
        for declaration in WarmSources.all {
            #expect(WarmSources.reaches(declaration.family.name, .all))
        }
        // The scopes the issue names.
        let reach = { (kind: WarmScope.Kind) in Set(registry.filter { WarmSources.reaches($0, kind) }) }
        #expect(reach(.user) == ["perm", "user-orgs", "cart"])
        #expect(reach(.product) == ["product", "product-variants", "commission", "stock"])
        #expect(reach(.org).isSuperset(of: ["org", "org-members", "org-stats", "org-products", "perm", "user-orgs"]))
        #expect(!reach(.org).contains("category-tree") && !reach(.org).contains("cart"))
    }

    @Test func selectionFollowsTheRegistryOrderAndRefusesWhatCannotBeWarmed() throws {
        let all = try WarmSelection.resolve(names: [], scope: .all)
        #expect(all.families == KeyspaceRegistry.standard.families.filter { $0.warmability.isWarmable }.map(\.name))
        #expect(all.outOfScope.isEmpty)
        #expect(try WarmSelection.resolve(names: ["stock", "perm", "stock"], scope: .all).families == ["perm", "stock"])
        #expect(throws: KeyspaceError.unknownFamily(name: "prodcut", suggestion: "product")) {
            try WarmSelection.resolve(names: ["prodcut"], scope: .all)
        }
        #expect(throws: WWError.self) { try WarmSelection.resolve(names: ["ratelimit"], scope: .all) }
        #expect(throws: WWError.self) { try WarmSelection.resolve(names: ["cart"], scope: .org(1)) }
        #expect(WarmScope.org(7).lockName == "warm:org:7")
        #expect(WarmScope.all.lockName == "warm:all")
    }

    /// Sample values for each parameter kind, as PostgreSQL prints them.
    private func sample(_ kind: ParameterKind) -> String {
        switch kind {
        case .integer: "1234"
        case .month: "2026-03"
        case .enumeration(let values): values[0]
        case .decimal: "20.00"
        default: "product"
        }
    }

    @Test func keysAreTheRegistrysKeys() throws {
        for family in KeyspaceRegistry.standard.families where family.warmability.isWarmable {
            let values = family.parameters.map { sample($0.kind) }
            let renderer = try KeyRenderer(family, prefix: KeyPrefix("app:"))
            var out: [UInt8] = []
            try renderer.append(to: &out) { index, out in out.append(contentsOf: values[index].utf8) }
            let params = Dictionary(uniqueKeysWithValues: zip(family.parameters.map(\.name), values))
            #expect(String(decoding: out, as: UTF8.self) == text(try keyspace("app:").key(family, params)), "\(family.name)")
        }
        // Prices in the key are the app's JS numbers.
        let commission = try KeyRenderer(.commission, prefix: KeyPrefix(""))
        for (price, form) in [("19.90", "19.9"), ("20.00", "20"), ("1000.00", "1000"), ("0.05", "0.05")] {
            var out: [UInt8] = []
            try commission.append(to: &out) { index, out in out.append(contentsOf: (index == 0 ? "7" : price).utf8) }
            #expect(String(decoding: out, as: UTF8.self) == "commission:7:\(form)")
        }
    }

    @Test func valuesTheRegistryRefusesAreDataErrors() throws {
        let product = try KeyRenderer(.product, prefix: KeyPrefix(""))
        for bad in ["-1", "007", "1.5", "", "99999999999999999999"] {
            var out: [UInt8] = []
            #expect(throws: KeyspaceError.self, "\(bad)") {
                try product.append(to: &out) { _, out in out.append(contentsOf: bad.utf8) }
            }
        }
        let entity = try KeyRenderer(.attrEntity, prefix: KeyPrefix(""))
        var out: [UInt8] = []
        do {
            try entity.append(to: &out) { _, out in out.append(contentsOf: "a:b".utf8) }
            Issue.record("a ':' in a token was accepted")
        } catch let error as KeyspaceError {
            #expect(error.category == .dataError)
        }
    }

    /// What COPY's text format makes of a string.
    private func copyText(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x5C: out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case 0x0B: out += Array(#"\v"#.utf8)
            default: out.append(byte)
            }
        }
        return out
    }

    static let awkwardStrings = [
        "plain", "", "quote \" inside", #"back\slash"#, "new\nline", "tab\there", "cr\r", "\u{08}\u{0C}\u{0B}",
        "\u{01}\u{1F}\u{7F}", "é ünïcødé 😀 中文", "</script>", "a/b", "\\N", "'single'", "\\x41 \\101",
    ]

    @Test(arguments: awkwardStrings)
    func stringsAreEscapedAsJSONStringifyEscapesThem(_ text: String) throws {
        var expected = ""
        JSONWriter.appendQuoted(text, into: &expected)
        var out: [UInt8] = []
        copyText(text).withUnsafeBufferPointer { out.appendJSONString(copyText: $0) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
        // And it parses back to the same text.
        #expect(try JSONParser.parse(out) == .string(text))
    }

    @Test func copyRowsSplitOnTabsAndNewlinesWithNullsAndEscapes() throws {
        let chunk = Array("1\tplain\t\\N\n2\twith\\ttab\t\n3\t\\\\N\tx\n".utf8)
        var parser = CopyRowParser(columns: 3)
        var rows: [[String?]] = []
        var ids: [Int64] = []
        try chunk.withUnsafeBytes { bytes in
            try parser.parse(bytes) { row in
                ids.append(try row.int64(0))
                rows.append((1..<3).map { row.string($0) })
            }
        }
        #expect(ids == [1, 2, 3])
        #expect(rows == [["plain", nil], ["with\ttab", ""], ["\\N", "x"]])

        var narrow = CopyRowParser(columns: 2)
        #expect(throws: WWError.self) {
            try chunk.withUnsafeBytes { try narrow.parse($0) { _ in } }
        }
    }

    @Test(arguments: [
        ("2026-11-15 12:00:00+00", #""2026-11-15T12:00:00.000Z""#),
        ("2026-11-15 12:00:00.5+00", #""2026-11-15T12:00:00.500Z""#),
        ("2026-11-15 12:00:00.123456+00", #""2026-11-15T12:00:00.123Z""#),
        ("2026-11-15 12:00:00.999999+00", #""2026-11-15T12:00:00.999Z""#),
        ("2026-11-15 12:00:00.04+00", #""2026-11-15T12:00:00.040Z""#),
        ("2026-11-15 12:00:00+05:30", #""2026-11-15T06:30:00.000Z""#),
        ("2025-12-31 23:30:00.25-01", #""2026-01-01T00:30:00.250Z""#),
        ("2024-02-29 00:00:00+00", #""2024-02-29T00:00:00.000Z""#),
        ("0044-03-15 12:00:00+00 BC", #""-000043-03-15T12:00:00.000Z""#),
        ("0001-01-01 00:00:00+00 BC", #""0000-01-01T00:00:00.000Z""#),
        ("10000-01-01 00:00:00+00", #""+010000-01-01T00:00:00.000Z""#),
        ("2016-12-31 23:59:60.25+00", #""2017-01-01T00:00:00.250Z""#),
        ("1969-12-31 23:59:59.9999+00", #""1969-12-31T23:59:59.999Z""#),
        ("294276-12-31 23:59:59.999999+00", #""+294276-12-31T23:59:59.999Z""#),
        ("infinity", "null"),
        ("-infinity", "null"),
    ])
    func timestampsAreWrittenAsToISOStringWritesThem(_ text: String, _ expected: String) throws {
        var out: [UInt8] = []
        try Array(text.utf8).withUnsafeBufferPointer { try ISOTimestamp.appendQuoted(postgresText: $0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func malformedTimestampsAreErrors() {
        for bad in ["2026-13-01 00:00:00+00", "yesterday", "2026-11-15 12:00", ""] {
            var out: [UInt8] = []
            #expect(throws: WWError.self, "\(bad)") {
                try Array(bad.utf8).withUnsafeBufferPointer { try ISOTimestamp.appendQuoted(postgresText: $0, to: &out) }
            }
        }
    }

    @Test func integersAreWrittenExactly() {
        for value: Int64 in [0, 7, 10, 99, 100, 12345, -5, -10, .max, .min] {
            var out: [UInt8] = []
            out.appendDecimal(value)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }

    @Test func jitterStaysWithinItsBoundsAndUsesThem() {
        var none = TTLJitter(fraction: 0, seed: 1)
        #expect((0..<100).allSatisfy { _ in none.milliseconds(seconds: 300) == 300_000 })
        #expect(TTLJitter.bounds(seconds: 300, fraction: 0.25) == 225_000...300_000)
        #expect(TTLJitter.bounds(seconds: 1, fraction: 0.5) == 500...1000)
        var jitter = TTLJitter(fraction: 0.25, seed: 42)
        let draws = (0..<20_000).map { _ in jitter.milliseconds(seconds: 300) }
        #expect(draws.allSatisfy { (225_000...300_000).contains($0) })
        #expect((draws.min() ?? 0) < 226_000 && (draws.max() ?? 0) > 299_000)
        for bad in [-0.01, 1, 1.5, .nan, .infinity] { #expect(!TTLJitter.isValid(bad)) }
        for good in [0, 0.1, 0.999] { #expect(TTLJitter.isValid(good)) }
    }

    private func batch(bytes: Int) -> WarmBatch {
        let batch = WarmBatch(pass: scratchPass(), capacity: 1)
        batch.valueBytes = [UInt8](repeating: 1, count: bytes)
        return batch
    }

    @Test func theQueueBoundsBytesAndLetsGoOfWhatItHandsOut() throws {
        let queue = WarmQueue(capacity: 8, byteLimit: 2000)
        weak var first: WarmBatch?
        do {
            let big = batch(bytes: 5000)
            first = big
            // One item is always let in, however large.
            try queue.push(.batch(big))
        }
        #expect(first != nil)
        do {
            let items = try queue.pop(upTo: 8, byteLimit: 100)
            #expect(items.count == 1)
        }
        // Written and dropped by the writer: nothing keeps it alive.
        #expect(first == nil)

        for _ in 0..<3 { try queue.push(.batch(batch(bytes: 400))) }
        try queue.push(.passDone(scratchPass(), keys: 3, bytes: 1200, batches: 3))
        #expect(try queue.pop(upTo: 8, byteLimit: 500).count == 1)
        #expect(try queue.pop(upTo: 8, byteLimit: 10_000).count == 3)
        queue.close()
        #expect(try queue.pop(upTo: 8, byteLimit: 10_000).isEmpty)

        let failed = WarmQueue(capacity: 1, byteLimit: 10)
        failed.fail(WWError.interrupted)
        #expect(throws: WWError.interrupted) { try failed.push(.batch(self.batch(bytes: 1))) }
        #expect(throws: WWError.interrupted) { try failed.pop(upTo: 1, byteLimit: 1) }
    }
}
