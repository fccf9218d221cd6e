/// Membership of one batch of keys, tested for every key of the next SCAN reply
/// (`KeySweeper`). A `Set<[UInt8]>` hashes a key byte by byte through SipHash, which on a
/// sweep of a million keys costs more client CPU than the rest of the batch's checks
/// together; this open-addressing table hashes eight bytes at a time, keeps each slot's
/// hash to skip most comparisons, and compares the bytes only on a hash match.
struct KeyBatchIndex {
    private var keys: [[UInt8]] = []
    /// Index + 1 into `keys`; 0 marks an empty slot.
    private var slots: [Int32] = []
    private var hashes: [UInt64] = []
    private var mask = 0

    /// Indexes `batch` (replacing what was indexed).
    mutating func index(_ batch: [[UInt8]]) {
        keys = batch
        guard !batch.isEmpty else { return }
        var size = 16
        while size < batch.count * 2 { size <<= 1 }
        if slots.count != size {
            slots = Array(repeating: 0, count: size)
            hashes = Array(repeating: 0, count: size)
        } else {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        mask = size - 1
        for (position, key) in batch.enumerated() {
            let hash = Self.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
            hashes[slot] = hash
        }
    }

    /// Forgets the batch (and releases it), keeping the table's memory.
    mutating func removeAll() {
        keys = []
    }

    func contains(_ key: [UInt8]) -> Bool {
        guard !keys.isEmpty else { return false }
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if hashes[slot] == hash && keys[Int(slots[slot]) - 1] == key { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    /// The key's 64-bit hash (`KeyHash`). Not keyed: a keyspace crafted to collide costs
    /// comparisons within one bounded batch, never a wrong answer.
    static func hash(_ key: [UInt8]) -> UInt64 {
        KeyHash.of(key)
    }
}
