import Keyspace

/// Remembers the tally slot of keys of no family by what `KeyGroupLabel.label` reads of
/// them (the prefix test, the first segment, and the second when it names a group), so
/// that the millions of `tmp:*` keys of a walk cost a hash of a few bytes each instead of
/// building and escaping their label. A miss computes the label as usual.
///
/// Bounded: after `capacity` distinct entries (keys without `:` are each their own group)
/// nothing more is remembered and the rest take the slow way.
struct GroupLabelCache {
    static let capacity = 4096

    private let prefix: [UInt8]
    /// Open addressing over `table.count` (a power of two) buckets: entry index + 1, 0 empty.
    private var table: [Int32]
    private var entries: [Entry] = []
    private var pool: [UInt8] = []
    /// The lookup key being built; reused.
    private var scratch: [UInt8] = []

    private struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
        var slot: Int
    }

    init(prefix: KeyPrefix) {
        self.prefix = prefix.bytes
        table = Array(repeating: 0, count: Self.capacity * 2)
        scratch.reserveCapacity(128)
    }

    /// The slot remembered for `key`'s group, or nil; `remember` stores one after a miss.
    mutating func slot(for key: UnsafeRawBufferPointer) -> Int? {
        describe(key)
        let hash = Self.hash(scratch)
        var bucket = Int(truncatingIfNeeded: hash) & (table.count - 1)
        while table[bucket] != 0 {
            let entry = entries[Int(table[bucket]) - 1]
            if entry.hash == hash && entry.count == scratch.count && pool[entry.start..<entry.start + entry.count].elementsEqual(scratch) {
                return entry.slot
            }
            bucket = (bucket + 1) & (table.count - 1)
        }
        return nil
    }

    /// Stores `slot` for the key last passed to `slot(for:)`.
    mutating func remember(_ slot: Int) {
        guard entries.count < Self.capacity else { return }
        let hash = Self.hash(scratch)
        var bucket = Int(truncatingIfNeeded: hash) & (table.count - 1)
        while table[bucket] != 0 { bucket = (bucket + 1) & (table.count - 1) }
        entries.append(Entry(hash: hash, start: pool.count, count: scratch.count, slot: slot))
        pool.append(contentsOf: scratch)
        table[bucket] = Int32(entries.count)
    }

    /// Writes into `scratch` exactly what `KeyGroupLabel.label` depends on: whether the key
    /// has the prefix, and then the body's first 40 bytes when it has no `:` (and whether
    /// it is longer), else the first segment's first 40 bytes, plus the second segment's
    /// first 40 when a third follows and the second is a name rather than an id.
    private mutating func describe(_ key: UnsafeRawBufferPointer) {
        scratch.removeAll(keepingCapacity: true)
        let hasPrefix = !prefix.isEmpty && key.count >= prefix.count
            && prefix.withUnsafeBytes { key.prefix(prefix.count).elementsEqual($0) }
        let body = hasPrefix ? prefix.count : 0
        scratch.append(hasPrefix ? 1 : 0)
        guard let firstColon = Self.colon(in: key, from: body) else {
            scratch.append(0)
            scratch.append(key.count - body > 40 ? 1 : 0)
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[body..<min(key.count, body + 40)]))
            return
        }
        let firstLength = firstColon - body
        let second = firstColon + 1
        if let secondColon = Self.colon(in: key, from: second) {
            let segment = UnsafeRawBufferPointer(rebasing: key[second..<secondColon])
            if !segment.isEmpty && !KeyGroupLabel.looksLikeID(segment) {
                scratch.append(2)
                scratch.append(UInt8(min(firstLength, 40)))
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[body..<body + min(firstLength, 40)]))
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[second..<second + min(segment.count, 40)]))
                return
            }
        }
        scratch.append(1)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[body..<body + min(firstLength, 40)]))
    }

    private static func colon(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ":") { return index }
            index += 1
        }
        return nil
    }

    /// FNV-1a: the keys are short and not chosen against us.
    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
