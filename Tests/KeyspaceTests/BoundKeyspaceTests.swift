import Keyspace
import Testing

@Suite struct BoundKeyspaceTests {
    /// A prefix that is not text: bytes that are not UTF-8, a control byte, a glob metacharacter.
    let binary = BoundKeyspace(registry: .standard, prefix: KeyPrefix(bytes: [0xFF, 0x0A, UInt8(ascii: "*"), UInt8(ascii: ":")]))

    @Test func keysAreThePrefixBytesThenTheTemplate() throws {
        let head: [UInt8] = [0xFF, 0x0A, UInt8(ascii: "*"), UInt8(ascii: ":")]
        #expect(try binary.key(.product, ["productId": "9"]) == head + Array("product:9".utf8))
        #expect(binary.epochKey(slot: 0) == head + Array("wwctl:epochs:{06S}".utf8))
        #expect(binary.changeLogKey == head + Array("wwctl:epochs:log".utf8))
        #expect(binary.lockKey(scope: "warm:all") == head + Array("wwctl:lock:warm:all".utf8))
        #expect(binary.internalKeysHead == head + Array("wwctl:".utf8))
        // In a SCAN pattern the prefix is escaped, byte for byte.
        #expect(binary.everyKeyPattern == [0xFF, 0x0A, UInt8(ascii: "\\"), UInt8(ascii: "*"), UInt8(ascii: ":"), UInt8(ascii: "*")])
        #expect(binary.isMatchAll(binary.everyKeyPattern))
        #expect(!binary.isMatchAll(binary.prefix.pattern(forKeysStartingWith: "perm:".utf8)))
    }

    @Test func thePrefixIsShownEscaped() {
        #expect(binary.prefix.description == "\\xff\\x0a*:")
        #expect(KeyPrefix("app:").description == "app:")
        #expect(KeyPrefix.empty.isEmpty && KeyPrefix.empty.description.isEmpty)
        #expect(KeyPrefix("app:") == KeyPrefix(bytes: Array("app:".utf8)))
    }

    @Test func bodiesAndCompletionPatterns() {
        let app = KeyPrefix("app:")
        #expect(app.body(of: Array("app:org:7".utf8)) == Array("org:7".utf8)[...])
        #expect(app.body(of: Array("ap".utf8)) == nil)
        #expect(app.body(of: Array("other:org:7".utf8)) == nil)
        #expect(KeyPrefix.empty.body(of: Array("org:7".utf8)) == Array("org:7".utf8)[...])
        #expect(app.pattern(forKeysStartingWith: "or[g".utf8) == Array("app:or\\[g*".utf8))
        #expect(KeyPrefix("a*").pattern(forKeysStartingWith: []) == Array("a\\**".utf8))
    }

    @Test func canonicalKeysCarryThePrefix() {
        let app = keyspace("app:")
        let legacy = app.parse("app:user:7:orgs")
        #expect(legacy.isLegacy)
        #expect(app.canonicalKey(of: legacy) == Array("app:user:orgs:7".utf8))
        #expect(app.canonicalKey(of: app.parse("app:org:7")) == Array("app:org:7".utf8))
        #expect(app.canonicalKey(of: app.parse("org:7")) == nil)
    }

    @Test func familiesReachableByAPattern() {
        func reachable(_ pattern: String, in space: BoundKeyspace = unprefixed) -> [String] {
            space.families(reachableBy: Array(pattern.utf8))
        }
        #expect(reachable("perm:42:*") == ["perm"])
        #expect(Set(reachable("org:*")).isSuperset(of: ["org", "org-members", "org-search"]))
        #expect(reachable("*").count == KeyspaceRegistry.standard.families.count)
        #expect(reachable("app:product:1*", in: keyspace("app:")).contains("product"))
        #expect(reachable("app*", in: keyspace("app:")).count == KeyspaceRegistry.standard.families.count)
        #expect(reachable("product:1*", in: keyspace("app:")).isEmpty)
    }
}
