import Synchronization

/// The hash tags that pin each slot's epoch hash to that slot: for slot s, the key
/// `{prefix}wwctl:epochs:{tag}` with `HashSlot.of(key) == s`, so that a slot's epochs live
/// on the node that owns the slot's keys and migrate with them.
///
/// The standard table (any prefix without `{`) never changes, because every wwctl that
/// guards the same server must name the same keys: tag(s) is the first string, in the
/// order below, whose CRC16 modulo 16384 is s. Candidates are the strings of one, then
/// two, then three characters of `alphabet`, in the alphabet's order with the first
/// character most significant (`0`, `1`, …, `Z`, `00`, `01`, …, `ZZZ`); every slot has one
/// of at most three characters. Computed once, on first use (about a millisecond).
///
/// A prefix holding `{` changes which bytes are hashed, so it gets a table of its own,
/// searched over the same candidates against the whole key. A prefix with a complete hash
/// tag (`{app}:`) puts every key, epochs included, in one slot: only that slot's entry is
/// used. Slots no candidate reaches under such a prefix keep the standard tag; no key
/// under that prefix is in them.
public enum SlotEpochTags {
    /// The characters of the tags.
    public static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// Tag of each slot, for prefixes without `{`.
    public static var standard: [[UInt8]] { standardTable }

    private static let standardTable: [[UInt8]] = {
        var tags = [[UInt8]](repeating: [], count: HashSlot.count)
        var found = 0
        forEachCandidate { candidate in
            let slot = candidate.withUnsafeBufferPointer { Int(HashSlot.crc16($0) & 0x3FFF) }
            guard tags[slot].isEmpty else { return true }
            tags[slot] = candidate
            found += 1
            return found < HashSlot.count
        }
        return tags
    }()

    /// The tags for keys under `prefix` (see the type's comment).
    public static func tags(for prefix: KeyPrefix) -> [[UInt8]] {
        guard prefix.bytes.contains(UInt8(ascii: "{")) else { return standardTable }
        if let cached = perPrefix.withLock({ $0[prefix] }) { return cached }
        var tags = standardTable
        var reached = [Bool](repeating: false, count: HashSlot.count)
        var found = 0
        forEachCandidate { candidate in
            let slot = HashSlot.of(prefix.bytes + Array(InternalKeys.epochsBody(tag: candidate).utf8))
            guard !reached[slot] else { return true }
            reached[slot] = true
            tags[slot] = candidate
            found += 1
            return found < HashSlot.count
        }
        perPrefix.withLock { $0[prefix] = tags }
        return tags
    }

    private static let perPrefix = Mutex<[KeyPrefix: [[UInt8]]]>([:])

    /// Calls `body` with each candidate in order until it returns false.
    private static func forEachCandidate(_ body: ([UInt8]) -> Bool) {
        var candidate: [UInt8] = []
        for length in 1...3 {
            var digits = [Int](repeating: 0, count: length)
            candidate = digits.map { alphabet[$0] }
            while true {
                if !body(candidate) { return }
                // The next string of this length: the last digit moves fastest.
                var position = length - 1
                while position >= 0 {
                    digits[position] += 1
                    if digits[position] < alphabet.count {
                        candidate[position] = alphabet[digits[position]]
                        break
                    }
                    digits[position] = 0
                    candidate[position] = alphabet[0]
                    position -= 1
                }
                if position < 0 { break }
            }
        }
    }
}
