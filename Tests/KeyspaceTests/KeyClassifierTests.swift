@testable import Keyspace
import Support
import Testing

/// What `classify` must say for `key`: derived from `parse`, the reference.
private func expected(_ key: [UInt8], in space: BoundKeyspace) -> KeyClass {
    let registry = space.registry
    func firstIndex(_ name: String) -> Int { registry.families.firstIndex { $0.name == name }! }
    let parsed = space.parse(key)
    switch parsed {
    case .family(let family, let params):
        return KeyClass(kind: .family(index: firstIndex(family.name)), ttlLimitSeconds: family.ttl.seconds(for: params))
    case .legacy(let family, let params, let form):
        return KeyClass(
            kind: .legacy(familyIndex: firstIndex(family.name), formIndex: registry.legacyForms.firstIndex(of: form)!),
            ttlLimitSeconds: family.ttl.seconds(for: params))
    case .forbidden(let rule):
        return KeyClass(kind: .forbidden(ruleIndex: FinancialPolicy.rules.firstIndex(of: rule)!))
    case .internal:
        return KeyClass(kind: .internal)
    case .unknown:
        return .unknown
    }
}

/// Every key of `keys` classified as `parse` reads it; returns how many disagreed.
@discardableResult
private func expectAgreement(
    _ keys: [[UInt8]], in space: BoundKeyspace,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Int {
    let classifier = space.classifier()
    var disagreements = 0
    for key in keys {
        let got = key.withUnsafeBytes { classifier.classify($0) }
        let want = expected(key, in: space)
        if got != want {
            disagreements += 1
            if disagreements <= 20 {
                Issue.record("\(KeyText(key)) prefix '\(space.prefix)': classify \(got), parse \(want)", sourceLocation: sourceLocation)
            }
        }
    }
    #expect(disagreements == 0, sourceLocation: sourceLocation)
    return disagreements
}

/// Bytes shown for a failure message.
private struct KeyText: CustomStringConvertible {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var description: String {
        String(validating: bytes, as: UTF8.self).map { $0.debugDescription } ?? "\(bytes)"
    }
}

/// A seeded generator, so a failure reproduces.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Keys one edit away from `key`: cut at every length, a byte dropped, replaced by `:` or
/// another byte, `:` or a segment added.
private func neighbours(_ key: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    for length in 0...key.count { out.append(Array(key[..<length])) }
    for index in key.indices {
        var dropped = key
        dropped.remove(at: index)
        out.append(dropped)
        for replacement in [UInt8(ascii: ":"), UInt8(ascii: "0"), UInt8(ascii: "A"), UInt8(ascii: "."), 0xFF] {
            var replaced = key
            replaced[index] = replacement
            out.append(replaced)
        }
    }
    for tail in [":", "::", ":x", ":1", "0", "x", ":GET", ":/a"] { out.append(key + Array(tail.utf8)) }
    for head in [":", "x", "wwctl:"] { out.append(Array(head.utf8) + key) }
    return out
}

/// Keys put together from pieces that hit the grammars' edges.
private func fuzzKeys(count: Int, seed: UInt64) -> [[UInt8]] {
    let pieces: [[UInt8]] = [
        "perm", "org", "user", "orgs", "sessions", "product", "with-variants", "category", "categories", "tree",
        "commission", "order", "vendor", "items", "earnings", "shipping", "rates", "refunds", "cart", "stock",
        "admin", "stats", "top-products", "revenue", "session", "ratelimit", "jwt", "blacklist", "attr", "entity",
        "search", "members", "products", "wwctl", "epoch", "lock", "payment", "Payments", "balance", "payouts",
        "balance_transactions", "today", "week", "month", "2025-01", "2025-13", "1", "0", "01", "42",
        "9223372036854775807", "9223372036854775808", "19.99", "20.00", "0.5", "0.000001", "1e3", "1000",
        "10.0.0.1", "10.0.0.01", "::1", "fe80::1%eth0", "2001", "db8", "ffff", "GET", "POST", "DELETE", "post",
        "/api", "/", "%", ".", "-", "é", "e\u{301}", "\u{1F600}", " ", "*", "?", "",
    ].map { Array($0.utf8) }
    var generator = SplitMix(state: seed)
    var keys: [[UInt8]] = []
    for _ in 0..<count {
        var key: [UInt8] = []
        let parts = Int.random(in: 1...6, using: &generator)
        for part in 0..<parts {
            if part > 0 { key.append(UInt8(ascii: ":")) }
            key += pieces.randomElement(using: &generator)!
        }
        if Int.random(in: 0..<50, using: &generator) == 0 { key.append(0xC3) }
        keys.append(key)
    }
    return keys
}

@Suite struct KeyClassifierTests {
    let registry = KeyspaceRegistry.standard

    @Test(arguments: ["", "myapp:", "cache:v2:", "v2", "\u{e9}:"])
    func agreesWithParseOnEveryFamilySampleAndItsNeighbours(prefix: String) throws {
        let space = keyspace(prefix)
        var keys: [[UInt8]] = []
        for family in registry.families {
            for params in sampleParams[family.name] ?? [] {
                let key = try space.key(family, params)
                keys.append(key)
                keys += neighbours(key)
            }
        }
        for form in registry.legacyForms {
            keys.append(Array((prefix + form.template.pattern.replacing("{userId}", with: "7")).utf8))
        }
        expectAgreement(keys, in: space)
        // And the samples themselves are what they should be.
        let classifier = space.classifier()
        for (index, family) in registry.families.enumerated() {
            for params in sampleParams[family.name] ?? [] {
                let key = try space.key(family, params)
                let found = key.withUnsafeBytes { classifier.classify($0) }
                #expect(found.kind == .family(index: index), "\(family.name)")
                #expect(found.ttlLimitSeconds == family.ttl.seconds(for: params), "\(family.name)")
            }
        }
    }

    @Test func policyLimitsFollowTheParameter() {
        let classifier = unprefixed.classifier()
        func limit(_ key: String) -> Int? { Array(key.utf8).withUnsafeBytes { classifier.classify($0) }.ttlLimitSeconds }
        #expect(limit("admin:stats:today") == 300)
        #expect(limit("admin:stats:week") == 3600)
        #expect(limit("perm:1:2:product:read") == 300)
        #expect(limit("jwt:blacklist:a.b.c") == nil)
        #expect(limit("user:7:orgs") == 900)
        #expect(limit("payment:1") == nil)
        #expect(unprefixed.classify(Array("user:7:orgs".utf8)).kind == .legacy(familyIndex: 2, formIndex: 0))
        let x = keyspace("x:")
        #expect(x.classify(Array("x:payments:1".utf8)).kind == .forbidden(ruleIndex: 2))
        #expect(x.classify(Array("x:wwctl:epoch:perm".utf8)).kind == .internal)
        #expect(x.classify(Array("wwctl:epoch:perm".utf8)) == .unknown)
    }

    @Test func agreesWithParseOnHostileKeys() {
        let texts = [
            "", ":", "::", ":::::::", "perm", "perm:", "perm:1:2:product", "perm:1:2:product:read:",
            "perm:x:2:product:read", "perm:-1:2:product:read", "perm:01:2:product:read", "perm:1:2::read",
            "perm:99999999999999999999:2:product:read", "perm:9223372036854775808:2:product:read",
            "perm:9223372036854775807:2:product:read", "product:*", "Product:1", "PERM:1:2:product:read",
            " perm:1:2:product:read", "cart:1 ", "cart:١", "cart:１", "stock:", ":stock:1", "stock::1",
            "categories:tree:", "categories:tree", "\u{0}", "cart:1\u{0}", "\u{1F600}:1", "日本:1",
            "perm:1:2:pröduct:réad", "perm:1:2:*:?", "session:\u{1F600}", "org:search:*", "org:search:",
            "org:search", "org:42:members:extra", "user:orgs:07", "user:x:orgs", "user:7:orgs",
            "ratelimit:123:POST:/api/orders", "ratelimit:::1:POST:/api/orders", "ratelimit:fe80::1%eth0:/api",
            "ratelimit:fe80::1%:/api", "ratelimit:fe80::1%a:b:/api", "ratelimit:::ffff:10.0.0.1:/a",
            "ratelimit:1:::2:POST:/a", "ratelimit:::1:orders", "ratelimit:123", "ratelimit:123:",
            "ratelimit::POST:/a", "ratelimit:10.0.0.256:POST:/a", "ratelimit:1:2:3:4:5:6:7:8:GET:/",
            "ratelimit:1:2:3:4:5:6:7:8:9:GET:/", "ratelimit:1::2::3:GET:/", "ratelimit:::", "ratelimit:::GET:/",
            "commission:5:19.99", "commission:5:20.00", "commission:5:020", "commission:5:.5", "commission:5:1e3",
            "commission:5:0.000001", "commission:5:0.0000001", "commission:5:123456789012345",
            "commission:5:1234567890123456", "commission:5:100000000000000000000", "commission:5:1000000000000000000000",
            "vendor:5:earnings:2025-01", "vendor:5:earnings:2025-13", "vendor:5:earnings:2025-00",
            "vendor:5:balance", "vendor:5:Balance-Transactions", "payouts", "balance:5", "vendor:5:balanced",
            "wwctl:", "wwctl:epoch:perm", "wwctl::x", "wwctlx:epoch:perm", "wwctl:e", "admin:stats:Today",
            "admin:stats:today:", "shipping:rates:US:DE:FR", "refunds:org:5:abc:def", "refunds:org:x:abc",
            "jwt:blacklist:aaa:bbb", "perm:1:2:product:\u{301}read", "attr:entity:cafe\u{301}",
        ]
        var keys = texts.map { Array($0.utf8) }
        keys += [[0xFF, 0xFE], Array("session:".utf8) + [0xC3], Array("session:".utf8) + [0xED, 0xA0, 0x80],
                 Array("payment:".utf8) + [0xFF], Array("cart:12".utf8) + [0xF4, 0x90, 0x80, 0x80]]
        keys.append(Array(("session:" + String(repeating: "a", count: 100_000)).utf8))
        keys.append(Array(("refunds:org:1:" + String(repeating: ":", count: 10_000)).utf8))
        keys.append(Array(("ratelimit:" + String(repeating: "1:", count: 2_000)).utf8))
        keys.append(Array(String(repeating: ":", count: 10_000).utf8))
        for prefix in ["", "myapp:", "ratelimit:", "perm"] {
            expectAgreement(keys + keys.map { Array(prefix.utf8) + $0 }, in: keyspace(prefix))
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func agreesWithParseOnGeneratedKeys(seed: UInt64) {
        let keys = fuzzKeys(count: 20_000, seed: seed)
        expectAgreement(keys, in: unprefixed)
        expectAgreement(keys, in: keyspace("perm:"))
    }

    /// A registry with what the standard one avoids: a template that starts with a
    /// parameter, two families of one name, a TTL chosen by a subject or an endpoint, a
    /// misplaced `.rest`, a legacy form of a family that does not exist.
    @Test func agreesWithParseOnAnOddRegistry() {
        let periods = ParameterKind.enumeration(["today", "é"])
        let families = [
            KeyFamily(
                name: "lead", template: KeyTemplate(.param("subject", .subject), .param("endpoint", .rest)),
                ttl: .perParameter(name: "endpoint", values: ["GET:/x": 5], otherwise: 6), tier: .l1,
                valueShape: "x", valueKind: .integer, warmability: .notWarmable(reason: "test"), staleOn: [], summary: "x"),
            KeyFamily(
                name: "twice", template: KeyTemplate(.literal("a"), .param("p", periods)),
                ttl: .perParameter(name: "p", values: ["today": 1, "é": 2], otherwise: 3), tier: .l1,
                valueShape: "x", valueKind: .integer, warmability: .notWarmable(reason: "test"), staleOn: [], summary: "x"),
            KeyFamily(
                name: "twice", template: KeyTemplate(.literal("a"), .param("m", .month), .param("d", .decimal)),
                ttl: .perParameter(name: "missing", values: [:], otherwise: 9), tier: .l1,
                valueShape: "x", valueKind: .integer, warmability: .notWarmable(reason: "test"), staleOn: [], summary: "x"),
            KeyFamily(
                name: "misplaced", template: KeyTemplate(.literal("b"), .param("r", .rest), .literal("c")),
                ttl: .fixed(seconds: 1), tier: .l1,
                valueShape: "x", valueKind: .integer, warmability: .notWarmable(reason: "test"), staleOn: [], summary: "x"),
            KeyFamily(
                name: "subject", template: KeyTemplate(.literal("b"), .param("s", .subject), .param("e", .rest)),
                ttl: .perParameter(name: "s", values: ["::1": 7], otherwise: 8), tier: .l1,
                valueShape: "x", valueKind: .integer, warmability: .notWarmable(reason: "test"), staleOn: [], summary: "x"),
            KeyFamily(
                name: "token", template: KeyTemplate(.literal("é"), .param("t", .token)),
                ttl: .untilTokenExpiry, tier: .l1,
                valueShape: "x", valueKind: .integer, warmability: .notWarmable(reason: "test"), staleOn: [], summary: "x"),
        ]
        let legacy = [
            LegacyForm(template: KeyTemplate(.param("p", periods), .literal("a")), canonicalFamily: "twice", note: "x"),
            LegacyForm(template: KeyTemplate(.literal("z"), .param("p", .integer)), canonicalFamily: "gone", note: "x"),
            LegacyForm(template: KeyTemplate(.literal("b"), .param("s", .token), .literal("old")), canonicalFamily: "subject", note: "x"),
        ]
        let odd = KeyspaceRegistry(families: families, legacyForms: legacy)
        let texts = [
            "::1:GET:/x", "::1:POST:/y", ":1:GET:/x", "1:GET:/x", "a:today", "a:é", "a:e\u{301}", "a:week",
            "a:2025-01:19.5", "a:2025-01:19.50", "b:x:c", "b:::1:GET:/", "b:7:x", "b:7:old", "é:t", "e\u{301}:t",
            "z:1", "today:a", ":a", "b:x:y:c",
        ]
        var keys = texts.map { Array($0.utf8) }
        keys += keys.flatMap(neighbours)
        keys += fuzzKeys(count: 5_000, seed: 9)
        expectAgreement(keys, in: keyspace("", of: odd))
        expectAgreement(keys.map { [UInt8(ascii: "p")] + $0 }, in: keyspace("p", of: odd))
    }
}

@Suite struct ByteGrammarTests {
    private func check(_ text: String, _ grammar: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        Array(text.utf8).withUnsafeBytes(grammar)
    }

    /// Every string of up to 7 characters over the digits and point that matter, plus
    /// long ones around the 15- and 21-digit limits.
    @Test func decimalsAsJSNumberFormReadsThem() {
        let alphabet: [Character] = ["0", "1", "5", "."]
        var texts = [""]
        var frontier = [""]
        for _ in 1...7 {
            frontier = frontier.flatMap { text in alphabet.map { text + String($0) } }
            texts += frontier
        }
        for digits in 13...23 {
            let ones = String(repeating: "1", count: digits)
            texts += [ones, "1" + String(repeating: "0", count: digits - 1), ones + "0", "0." + ones, "1." + ones,
                      "0.00000" + ones.prefix(digits - 8), "0.000000" + ones.prefix(3), String(ones.prefix(digits - 3)) + ".5"]
        }
        texts += ["-1", "+1", "1e3", "NaN", "inf", "1.5x", " 1", "١"]
        var disagreements: [String] = []
        for text in texts where check(text, ByteGrammar.isJSDecimal) != JSNumberForm.isCanonical(text) {
            disagreements.append(text)
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
        #expect(check("19.99", ByteGrammar.isJSDecimal))
        #expect(!check("20.00", ByteGrammar.isJSDecimal))
    }

    @Test func addressesAsParameterKindReadsThem() {
        var texts = [
            "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.1.1", "1.1.1.1.1", "01.1.1.1", "1..1.1", ".1.1.1", "1.1.1.1.",
            "1.1.1.a", "::", "::1", ":::", "1::", "1:::", "1::2::3", "fe80::1%eth0", "fe80::1%", "fe80::1%a:b",
            "%eth0", "::ffff:10.0.0.1", "::ffff:10.0.0", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::",
            "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "12345::1", "g::1", "ABCD:ef01::", ":1", "1:", "1:2",
            "1.2.3.4:1", "::1.2.3.4", "1::1.2.3.4::", "",
        ]
        var generator = SplitMix(state: 7)
        let pieces = ["1", "12", "255", "256", "ff", "fFfF", "12345", ":", "::", ".", "%", "x", "0"]
        for _ in 0..<20_000 {
            texts.append((0..<Int.random(in: 1...9, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        var disagreements: [String] = []
        for text in texts {
            let bytes = Array(text.utf8)
            if check(text, ByteGrammar.isIPv4) != ParameterKind.isIPv4(bytes)
                || check(text, ByteGrammar.isIPv6) != ParameterKind.isIPv6(bytes) {
                disagreements.append(text)
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    @Test func monthsAndEndpointsAsTheirCounterpartsReadThem() {
        for text in ["2025-01", "2025-12", "2025-13", "2025-00", "0000-01", "2025-1", "2025/01", "202a-01", "20250-1", ""] {
            #expect(check(text, ByteGrammar.isMonth) == ParameterKind.isMonth(Array(text.utf8)), "\(text)")
        }
        for text in ["GET", "POST", "PATCH", "OPTIONS", "CONNECT", "TRACE", "HEAD", "PUT", "DELETE", "get", "GETS",
                     "/", "/a", "", "G", "OPTIONSX", "X"] {
            #expect(check(text, ByteGrammar.startsEndpoint) == HTTPMethod.startsEndpoint(ArraySlice(text.utf8)), "\(text)")
        }
    }

    @Test func utf8ValidityAsKeyBytesReadsIt() {
        var generator = SplitMix(state: 11)
        var samples: [[UInt8]] = [[], Array("plain ascii key of some length".utf8), Array("é€😀".utf8), [0xC3], [0xED, 0xA0, 0x80]]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...20, using: &generator)
            samples.append((0..<length).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0 ? UInt8.random(in: 0x80...0xFF, using: &generator)
                    : UInt8.random(in: 0x20...0x7E, using: &generator)
            })
        }
        for sample in samples {
            #expect(sample.withUnsafeBytes(ByteGrammar.isValidUTF8) == KeyBytes.isValidUTF8(sample), "\(sample)")
        }
    }
}
