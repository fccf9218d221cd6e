import Keyspace
import Testing

/// (pattern, key, Redis's answer). Every row is also checked against a real server by
/// `RedisGlobTests`.
let globCases: [(String, String, Bool)] = [
    ("*", "", false),  // stringmatchlen; the SCAN command special-cases "*"
    ("*", "anything", true),
    ("**", "", false),
    ("", "", true),
    ("", "a", false),
    ("a", "", false),
    ("perm:*", "perm:1:2:product:read", true),
    ("perm:*", "perm", false),
    ("perm:*", "perm:", true),
    ("perm:42:*", "perm:42:1:a:b", true),
    ("perm:42:*", "perm:420:1:a:b", false),
    ("perm:42:*", "perm:4:1:a:b", false),
    ("*:members", "org:42:members", true),
    ("*:members", "org:42:members:x", false),
    ("a*b*c", "aXXbYYc", true),
    ("a*b*c", "aXXbYY", false),
    ("a*", "a", true),
    ("a**", "a", true),
    ("a*b", "ab", true),
    ("?", "", false),
    ("?", "x", true),
    ("?", "xy", false),
    ("??", "xy", true),
    ("a?c", "abc", true),
    ("a?c", "ac", false),
    ("[abc]", "b", true),
    ("[abc]", "d", false),
    ("[a-c]", "b", true),
    ("[a-c]", "d", false),
    ("[c-a]", "b", true),  // reversed bounds are swapped
    ("[^a]", "b", true),
    ("[^a]", "a", false),
    ("[^a-c]x", "dx", true),
    ("[^a-c]x", "bx", false),
    ("[\\]]", "]", true),
    ("[\\]]", "\\", false),
    ("[]]", "]", false),  // "[]" is an empty class, then a literal ']'
    ("[]]", "x]", false),
    ("[]x]", "]", false),
    ("[\\-a]", "-", true),
    ("[a-]", "-", false),  // "a-]" is the range a..']' (swapped), then the class runs to the end
    ("[a-]", "a", true),
    ("[a-]", "]", true),
    ("[a-]", "b", false),
    ("[-a]", "-", true),
    ("[ab", "a", true),  // unterminated class runs to the end
    ("[ab", "c", false),
    ("[", "[", false),
    ("[^", "x", true),
    ("[^", "", false),
    ("\\*", "*", true),
    ("\\*", "x", false),
    ("\\?", "?", true),
    ("\\[1\\]", "[1]", true),
    ("\\[1\\]", "1", false),
    ("[1]", "1", true),
    ("[1]", "[1]", false),
    ("\\\\", "\\", true),
    ("\\", "\\", true),  // a trailing lone backslash is a literal
    ("a\\", "a\\", true),
    ("\\a", "a", true),
    ("a]", "a]", true),
    ("*[ab]*", "xxbxx", true),
    ("*[ab]*", "xxcxx", false),
    ("*[*]*", "a*b", true),
    ("*\\**", "a*b", true),
    ("*\\**", "ab", false),
    ("[[]", "[", true),
    ("[*]", "*", true),
    ("[*]", "x", false),
    ("[?]", "?", true),
    ("[a-c-e]", "-", true),
    ("[a-c-e]", "d", false),
    ("x*y*z*", "xyz", true),
    ("*a*a*a*a*a*a*a*b", String(repeating: "a", count: 60), false),
    ("product:\\[1\\]", "product:[1]", true),
    ("product:\\[1\\]", "product:1", false),
    ("h[^e]llo", "hello", false),
    ("h[^e]llo", "hallo", true),
    ("h*llo", "hllo", true),
    ("h?llo", "hllo", false),
]

@Suite struct GlobTests {
    @Test func matchesRedisSemantics() {
        for (pattern, key, expected) in globCases {
            #expect(Glob.match(pattern: pattern, key: key) == expected, "\(pattern.debugDescription) vs \(key.debugDescription)")
        }
    }

    @Test func bytesBeyondASCII() {
        // C compares class bounds as signed chars: 0x80-0xFF sort before ASCII.
        #expect(Glob.match(pattern: Array("[a-".utf8) + [0xFF] + Array("]".utf8), key: Array("A".utf8)))
        #expect(!Glob.match(pattern: Array("[a-".utf8) + [0xFF] + Array("]".utf8), key: Array("b".utf8)))
        #expect(Glob.match(pattern: Array("[a-".utf8) + [0xFF] + Array("]".utf8), key: [0xFF]))
        #expect(Glob.match(pattern: [0x2A], key: [0xFF, 0x0A, 0x00]))
        #expect(Glob.match(pattern: [0x3F], key: [0xFF]))
        #expect(Glob.match(pattern: Array("a?c".utf8), key: [0x61, 0x00, 0x63]))
        #expect(!Glob.match(pattern: Array("a?c".utf8), key: Array("aéc".utf8)))  // é is two bytes
        #expect(Glob.match(pattern: Array("a??c".utf8), key: Array("aéc".utf8)))
        #expect(Glob.match(pattern: [0x61, 0x00, 0x2A], key: [0x61, 0x00, 0x62]))
    }

    @Test func abusivePatternsTerminate() {
        let stars = String(repeating: "a*", count: 2000) + "b"
        #expect(!Glob.match(pattern: stars, key: String(repeating: "a", count: 3000)))
        // More than 1000 nested stars never match, as in Redis 7.
        let many = String(repeating: "*a", count: 1002)
        #expect(!Glob.match(pattern: many, key: String(repeating: "a", count: 1002)))
        let fewer = String(repeating: "*a", count: 999)
        #expect(Glob.match(pattern: fewer, key: String(repeating: "a", count: 999)))
    }

    @Test func scanMatchesSpecialCasesStar() {
        #expect(Glob.scanMatches(pattern: "*", key: ""))
        #expect(!Glob.scanMatches(pattern: "**", key: ""))
        #expect(Glob.scanMatches(pattern: "perm:*", key: "perm:1"))
        #expect(!Glob.scanMatches(pattern: "perm:*", key: "prm:1"))
    }

    @Test func escaping() {
        #expect(Glob.escape("product:[1]") == "product:\\[1\\]")
        #expect(Glob.escape("a*b?c\\d") == "a\\*b\\?c\\\\d")
        #expect(Glob.escape("plain:text") == "plain:text")
        #expect(Glob.escape("") == "")
        #expect(Glob.escape("^-") == "^-")
        // Escaped text matches exactly itself, among tricky neighbours.
        let texts = ["[1]", "1", "*", "x", "\\", "\\\\", "?", "a]b", "[^a]", "[a-c]", "b", "", "é*", "\\*"]
        for text in texts {
            for other in texts {
                #expect(Glob.match(pattern: Glob.escape(text), key: other) == (text == other), "\(text) vs \(other)")
            }
        }
        #expect(Glob.escape(bytes: [0xFF, 0x2A]) == [0xFF, 0x5C, 0x2A])
    }

    @Test func literalPrefixes() {
        #expect(Glob.literalPrefix(of: "perm:42:*") == "perm:42:")
        #expect(Glob.literalPrefix(of: "perm:42:1:a:b") == "perm:42:1:a:b")
        #expect(Glob.literalPrefix(of: "*") == "")
        #expect(Glob.literalPrefix(of: "*:x") == "")
        #expect(Glob.literalPrefix(of: "?abc") == "")
        #expect(Glob.literalPrefix(of: "[ab]c") == "")
        #expect(Glob.literalPrefix(of: "\\*x*") == "*x")
        #expect(Glob.literalPrefix(of: "product:\\[1\\]") == "product:[1]")
        #expect(Glob.literalPrefix(of: "a]b*") == "a]b")
        #expect(Glob.literalPrefix(of: "ab\\") == "ab\\")
        #expect(Glob.literalPrefix(of: "") == "")
        #expect(Glob.literalPrefix(of: Array("a\u{0}b*".utf8)) == Array("a\u{0}b".utf8))
    }

    @Test func matchAllDetection() {
        for pattern in ["*", "**", "*:x", "?", "?abc", "[a]*", "", "*perm"] {
            #expect(unprefixed.isMatchAll(Array(pattern.utf8)), "\(pattern)")
        }
        for pattern in ["perm:*", "p*", "\\**", "perm:42:1:a:b", "a?"] {
            #expect(!unprefixed.isMatchAll(Array(pattern.utf8)), "\(pattern)")
        }
        let myapp = keyspace("myapp:")
        #expect(myapp.isMatchAll(Array("myapp:*".utf8)))
        #expect(myapp.isMatchAll(Array("my*".utf8)))
        #expect(myapp.isMatchAll(Array("*".utf8)))
        #expect(!myapp.isMatchAll(Array("myapp:perm:*".utf8)))
        #expect(!myapp.isMatchAll(Array("perm:*".utf8)))
        #expect(!myapp.isMatchAll(Array("myapq*".utf8)))
        #expect(myapp.everyKeyPattern == Array("myapp:*".utf8))
        #expect(keyspace("my*app:").everyKeyPattern == Array("my\\*app:*".utf8))
        #expect(Glob.hasWildcards("perm:*"))
        #expect(Glob.hasWildcards("a[b]"))
        #expect(!Glob.hasWildcards("perm:1:2:a:b"))
        #expect(!Glob.hasWildcards("product:\\[1\\]"))
        #expect(!Glob.hasWildcards("a\\"))
        #expect(Glob.hasWildcards("a\\\\*"))
        #expect(!Glob.hasWildcards("a]b"))
        // Bytes, as keys and patterns from stdin are.
        #expect(Glob.hasWildcards([0xFF, UInt8(ascii: "?")]))
        #expect(!Glob.hasWildcards([0xFF, UInt8(ascii: "\\"), UInt8(ascii: "*")]))
        let binary = BoundKeyspace(registry: .standard, prefix: KeyPrefix(bytes: [0xFF, 0x00]))
        #expect(binary.isMatchAll([0xFF, UInt8(ascii: "*")]))
        #expect(!binary.isMatchAll([0xFF, 0x01, UInt8(ascii: "*")]))
    }

    @Test func scanPatternsEscapeValuesAndPrefix() throws {
        func pattern(_ family: KeyFamily, _ params: [String: String] = [:], in space: BoundKeyspace = unprefixed) throws -> String {
            try space.selector(family, params: params).patternText
        }
        #expect(try pattern(.product, ["productId": "[1]"]) == "product:\\[1\\]")
        #expect(try pattern(.product, ["productId": "9"]) == "product:9")
        #expect(try pattern(.product) == "product:*")
        #expect(try pattern(.perm, ["userId": "42"]) == "perm:42:*:*:*")
        #expect(try pattern(.perm, ["orgId": "7", "action": "read"]) == "perm:*:7:*:read")
        #expect(try pattern(.perm, ["userId": "42"], in: keyspace("my*app:")) == "my\\*app:perm:42:*:*:*")
        #expect(try pattern(.categoryTree, in: keyspace("p:")) == "p:categories:tree")
        #expect(try pattern(.commission, ["productId": "5", "price": "20.00"]) == "commission:5:20")
        #expect(try pattern(.rateLimit, ["subject": "::1"]) == "ratelimit:::1:*")
        #expect(try pattern(.orgSearch) == "org:search:*")
        #expect(try pattern(.refunds, ["orgId": "5"]) == "refunds:org:5:*")
        #expect(try pattern(.session, ["sessionId": "a\\b"]) == "session:a\\\\b")
        // A prefix that is not UTF-8 is in the pattern byte for byte, escaped.
        let binary = BoundKeyspace(registry: .standard, prefix: KeyPrefix(bytes: [0xFF, UInt8(ascii: "*")]))
        #expect(try binary.selector(.product, params: ["productId": "9"]).pattern
            == [0xFF, UInt8(ascii: "\\"), UInt8(ascii: "*")] + Array("product:9".utf8))

        let unknown = #expect(throws: KeyspaceError.self) {
            try pattern(.product, ["id": "1"])
        }
        #expect(unknown?.category == .usage)
        #expect(throws: KeyspaceError.self) { try pattern(.product, ["productId": ""]) }
        #expect(throws: KeyspaceError.self) {
            try pattern(.perm, ["resource": "a:b"])
        }
    }

    @Test func patternOfEscapedValueMatchesOnlyThatKey() throws {
        let selector = try unprefixed.selector(.product, params: ["productId": "[1]"])
        #expect(Glob.match(pattern: selector.pattern, key: Array("product:[1]".utf8)))
        #expect(!Glob.match(pattern: selector.pattern, key: Array("product:1".utf8)))
        #expect(selector.matches("product:[1]"))
        #expect(!selector.matches("product:1"))
        #expect(selector.isExact)
    }

    @Test func selectorsAgreeWithParseOnEverySample() throws {
        let registry = KeyspaceRegistry.standard
        let space = keyspace("p:")
        var samples: [(family: KeyFamily, params: [String: String], key: String)] = []
        for family in registry.families {
            for params in sampleParams[family.name] ?? [] {
                samples.append((family, params, text(try space.key(family, params))))
            }
        }
        for family in registry.families {
            for params in sampleParams[family.name] ?? [] {
                // The family-wide selector and every one-parameter selector of each sample.
                var selections: [[String: String]] = [[:]]
                for (name, value) in params { selections.append([name: value]) }
                for fixed in selections {
                    let selector = try space.selector(family, params: fixed)
                    for sample in samples {
                        let parsed = space.parse(sample.key)
                        let expected = parsed.family == family
                            && fixed.allSatisfy { parsed.value(of: $0.key) == $0.value }
                        #expect(selector.matches(sample.key) == expected, "\(selector) vs \(sample.key)")
                        if selector.matches(sample.key) {
                            #expect(Glob.match(pattern: selector.pattern, key: Array(sample.key.utf8)))
                        }
                    }
                }
            }
        }
    }

    @Test func selectorsTestFamilyMembershipExactly() throws {
        let org = try unprefixed.selector(.org)
        #expect(org.patternText == "org:*")
        #expect(org.matches("org:42"))
        // The pattern takes these; the selector does not.
        for other in ["org:42:members", "org:search:x", "org:x", "org:", "org:42:", "org:042"] {
            #expect(Glob.match(pattern: org.pattern, key: Array(other.utf8)))
            #expect(!org.matches(other), "\(other)")
        }

        let perm42 = try unprefixed.selector(.perm, params: ["userId": "42"])
        #expect(perm42.matches("perm:42:1:product:read"))
        #expect(!perm42.matches("perm:420:1:product:read"))
        #expect(!perm42.matches("perm:4:1:product:read"))
        #expect(!perm42.matches("perm:42:1:product:read:extra"))
        #expect(!perm42.matches("perm:42:x:product:read"))
        #expect(!perm42.isExact)

        let prefixed = try keyspace("app:").selector(.perm, params: ["userId": "42"])
        #expect(prefixed.matches("app:perm:42:1:product:read"))
        #expect(!prefixed.matches("perm:42:1:product:read"))
        #expect(!prefixed.matches("other:perm:42:1:product:read"))

        let product = try unprefixed.selector(.product)
        #expect(!product.matches("product:9:with-variants"))
        #expect(!product.matches("product:[1]"))

        let rate = try unprefixed.selector(.rateLimit, params: ["subject": "::1"])
        #expect(rate.matches("ratelimit:::1:POST:/api/orders"))
        #expect(!rate.matches("ratelimit:::12:POST:/api/orders"))
        #expect(!rate.matches("ratelimit:123:POST:/api/orders"))
        let rate123 = try unprefixed.selector(.rateLimit, params: ["subject": "123"])
        #expect(rate123.matches("ratelimit:123:POST:/api/orders"))
        #expect(rate123.matches("ratelimit:123:/api/orders/:id"))
        #expect(!rate123.matches("ratelimit:1234:/a"))

        // Binary keys never match, even where the pattern would.
        let session = try unprefixed.selector(.session)
        #expect(!session.matches(Array("session:".utf8) + [0xFF]))
        #expect(session.matches(Array("session:abc".utf8)))

        // Selectors compare by family, fixed parameters and prefix.
        #expect(try unprefixed.selector(.perm, params: ["userId": "42"]) == perm42)
        #expect(try unprefixed.selector(.perm, params: ["userId": "43"]) != perm42)
        #expect(try keyspace("app:").selector(.perm, params: ["userId": "42"]) != perm42)
        #expect(perm42.description == "perm:42:*:*:*")
    }
}
