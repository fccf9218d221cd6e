import Keyspace
import Testing

/// The slot function is Redis Cluster's (CRC16-XMODEM, hash tags, mod 16384): fixed
/// vectors here, `CLUSTER KEYSLOT` on a real server in `HashSlotServerTests`.
@Suite struct HashSlotTests {
    @Test func theChecksumIsCRC16XMODEM() {
        // The check value of CRC-16/XMODEM, and the Redis Cluster specification's example.
        #expect(HashSlot.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(HashSlot.of(Array("123456789".utf8)) == 12739)
        #expect(HashSlot.crc16([]) == 0)
        #expect(HashSlot.of([UInt8]()) == 0)
    }

    @Test func knownSlots() {
        // Values CLUSTER KEYSLOT answers (also checked against a server).
        let known: [(String, Int)] = [
            ("foo", 12182), ("bar", 5061), ("hello", 866), ("{user1000}.following", 3443), ("{user1000}.followers", 3443),
            ("somekey", 11058), ("foo{}{bar}", 8363), ("foo{{bar}}zap", 4015), ("{a", 10276),
        ]
        for (key, slot) in known { #expect(HashSlot.of(Array(key.utf8)) == slot, "\(key)") }
    }

    @Test func hashTagsFollowTheSpecification() {
        func slot(_ text: String) -> Int { HashSlot.of(Array(text.utf8)) }
        // The first { and the first } after it; an empty tag hashes the whole key.
        #expect(slot("{user1000}.following") == slot("user1000"))
        #expect(slot("foo{}{bar}") == slot("foo{}{bar}") && slot("foo{}{bar}") != slot("bar"))
        #expect(slot("foo{{bar}}zap") == slot("{bar"))
        #expect(slot("foo{bar}{zap}") == slot("bar"))
        #expect(slot("no braces") == Int(HashSlot.crc16(Array("no braces".utf8)) & 0x3FFF))
        // Binary keys hash as bytes.
        #expect(HashSlot.of([0xFF, 0x00, UInt8(ascii: "{"), 0x01, UInt8(ascii: "}")]) == HashSlot.of([0x01]))
    }

    @Test func everySlotHasATagThatHashesToIt() {
        let tags = SlotEpochTags.standard
        #expect(tags.count == HashSlot.count)
        for (slot, tag) in tags.enumerated() {
            #expect(!tag.isEmpty && tag.count <= 3)
            #expect(HashSlot.of(tag) == slot, "slot \(slot)")
        }
        // The table never changes: every wwctl must name the same keys.
        #expect(tags[0] == Array("06S".utf8))
        #expect(tags[12739] == Array("74C".utf8))
        #expect(tags[16383] == Array("6ZJ".utf8))
        #expect(Set(tags).count == HashSlot.count)
    }

    @Test func theEpochHashOfASlotIsInThatSlotUnderAnyPrefix() {
        for prefix in ["", "app:", "\u{1}bin*", "{app}:", "a{b", "{}x:", "x}y{"] {
            let space = BoundKeyspace(registry: .standard, prefix: KeyPrefix(prefix))
            // Keys of several families, with braces of their own too.
            let keys = (0..<400).map { index in
                Array(prefix.utf8) + Array("perm:\(index):\(index * 7):product:read".utf8)
            } + [Array(prefix.utf8) + Array("org:search:{tag}".utf8), Array(prefix.utf8) + Array("session:}{".utf8)]
            for key in keys {
                let slot = space.slot(of: key)
                #expect(HashSlot.of(space.epochKey(slot: slot)) == slot, "prefix \(prefix), key \(String(decoding: key, as: UTF8.self))")
            }
        }
    }

    @Test func epochKeysAreWwctlsOwn() {
        let app = BoundKeyspace(registry: .standard, prefix: KeyPrefix("app:"))
        #expect(app.epochKey(slot: 0) == Array("app:wwctl:epochs:{06S}".utf8))
        #expect(app.parse(app.epochKey(slot: 7)) == .internal(kind: "epochs"))
        #expect(app.parse(app.changeLogKey) == .internal(kind: "epochs"))
        #expect(app.classify(app.epochKey(slot: 7)).kind == .internal)
    }
}
