import Testing
@testable import CacheOps

/// The batch index the sweeper checks every key of a SCAN reply against: exact byte
/// equality, whatever the length (the hash reads eight bytes at a time, then a tail).
@Suite struct KeyBatchIndexTests {
    @Test func findsExactlyTheIndexedKeys() {
        let batch: [[UInt8]] = (0..<700).map { Array("perm:\($0):7:product:read".utf8) }
            + [[], [0xFF], Array("12345678".utf8), Array("123456789".utf8), [0x0A, 0x00, 0xFF, 0x41]]
        var index = KeyBatchIndex()
        #expect(!index.contains([]))
        index.index(batch)
        for key in batch { #expect(index.contains(key)) }
        let others: [[UInt8]] = [
            Array("perm:700:7:product:read".utf8), Array("perm:1:7:product:rea".utf8), Array("perm:1:7:product:readx".utf8),
            [0xFE], Array("1234567".utf8), Array("12345679".utf8), Array("123456780".utf8), [0x0A, 0x00, 0xFF],
        ]
        for key in others { #expect(!index.contains(key)) }
    }

    @Test func reindexingReplacesAndRemovingForgets() {
        var index = KeyBatchIndex()
        index.index([Array("a".utf8), Array("b".utf8)])
        index.index([Array("c".utf8)])
        #expect(!index.contains(Array("a".utf8)))
        #expect(index.contains(Array("c".utf8)))
        index.removeAll()
        #expect(!index.contains(Array("c".utf8)))
    }

    /// Keys that differ only after a long shared prefix, or only in length.
    @Test func keysSharingLongPrefixes() {
        let prefix = Array(String(repeating: "x", count: 64).utf8)
        let batch = (0..<300).map { prefix + Array("\($0)".utf8) }
        var index = KeyBatchIndex()
        index.index(batch)
        for key in batch { #expect(index.contains(key)) }
        #expect(!index.contains(prefix))
        #expect(!index.contains(prefix + Array("300".utf8)))
    }
}
