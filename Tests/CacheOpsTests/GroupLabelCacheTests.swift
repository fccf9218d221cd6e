@testable import CacheOps
import Keyspace
import Testing

/// The cache of `metrics --by-family`'s groups of keys of no family: a key it knows is
/// always in the group `KeyGroupLabel.label` gives it.
@Suite struct GroupLabelCacheTests {
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

    private func keys(seed: UInt64, prefix: String) -> [[UInt8]] {
        let long = String(repeating: "x", count: 39)
        let pieces: [[UInt8]] = [
            "tmp", "queue", "job", "flags", "feature", "42", "0", "12345678-aa", "abcdefgh", "a1", "", "app",
            long, long + "y", long + "yz", long + "é", "é", "\\", "\u{7}", "😀",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], Array(long.utf8) + [0xC3, 0xA9]]
        var generator = SplitMix(state: seed)
        var out: [[UInt8]] = []
        for _ in 0..<20_000 {
            var key: [UInt8] = Int.random(in: 0..<3, using: &generator) == 0 ? Array(prefix.utf8) : []
            for part in 0..<Int.random(in: 1...4, using: &generator) {
                if part > 0 { key.append(UInt8(ascii: ":")) }
                key += pieces.randomElement(using: &generator)!
            }
            out.append(key)
        }
        return out
    }

    @Test(arguments: ["", "app:", "ap"])
    func aRememberedKeyIsInTheGroupItsLabelNames(prefix: String) {
        var cache = GroupLabelCache(prefix: KeyPrefix(prefix))
        var labels: [String] = []
        var slots: [String: Int] = [:]
        var hits = 0
        var wrong: [String] = []
        for key in keys(seed: 5, prefix: prefix) {
            let label = KeyGroupLabel.label(for: key, prefix: KeyPrefix(prefix))
            key.withUnsafeBytes { bytes in
                if let slot = cache.slot(for: bytes) {
                    hits += 1
                    if labels[slot] != label { wrong.append(label) }
                } else {
                    let slot = slots[label] ?? labels.count
                    if slot == labels.count {
                        labels.append(label)
                        slots[label] = slot
                    }
                    cache.remember(slot)
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(hits > 15_000)
    }

    /// Past its capacity the cache stops remembering, and still never answers wrongly.
    @Test func fullCacheForgetsNewKeysOnly() {
        var cache = GroupLabelCache(prefix: .empty)
        for index in 0..<(GroupLabelCache.capacity + 10) {
            Array("key\(index)".utf8).withUnsafeBytes { bytes in
                #expect(cache.slot(for: bytes) == nil)
                cache.remember(index)
            }
        }
        Array("key7".utf8).withUnsafeBytes { #expect(cache.slot(for: $0) == 7) }
        Array("key\(GroupLabelCache.capacity + 5)".utf8).withUnsafeBytes { #expect(cache.slot(for: $0) == nil) }
    }
}
