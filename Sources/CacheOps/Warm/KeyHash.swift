/// A 64-bit hash of a key's bytes: the warm's record of the keys it wrote (`WrittenKeys`)
/// and its quick test against the keys a change named, a sweep's index of a batch
/// (`KeyBatchIndex`). Eight bytes at a time, each word
/// mixed by a multiplication folded to 64 bits (the wyhash construction); keys are
/// short, so this costs a few nanoseconds. Two keys share a hash with probability about
/// 2⁻⁶⁴: a warm of millions of keys asks at most thousands of questions of it.
enum KeyHash {
    private static let p0: UInt64 = 0xa076_1d64_78bd_642f
    private static let p1: UInt64 = 0xe703_7ed1_a0b4_28db

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = p0 ^ UInt64(bytes.count)
        var offset = 0
        while bytes.count - offset >= 8 {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = mix(hash ^ word, p1)
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(hash ^ tail ^ p0, p1 ^ UInt64(bytes.count))
    }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }
}

/// The hashes of the keys one pass of a warm wrote: appended while it runs, sorted once
/// it is done, then asked whether a key a change named is among them. Eight bytes a key,
/// in chunks so that growing never copies what is already there.
struct WrittenKeys {
    private var chunks: [[UInt64]] = []
    private static let chunkSize = 1 << 16
    private var sorted: [UInt64]?

    var count: Int { sorted?.count ?? chunks.reduce(0) { $0 + $1.count } }

    mutating func append(_ hashes: some Collection<UInt64>) {
        if let sorted {
            chunks = [sorted]
            self.sorted = nil
        }
        var rest = hashes[...]
        while !rest.isEmpty {
            if chunks.isEmpty || chunks[chunks.count - 1].count >= Self.chunkSize {
                chunks.append([])
                chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)
            }
            let room = Self.chunkSize - chunks[chunks.count - 1].count
            chunks[chunks.count - 1].append(contentsOf: rest.prefix(room))
            rest = rest.dropFirst(room)
        }
    }

    /// Sorts what was appended (once): afterwards `contains` is a binary search.
    mutating func seal() {
        guard sorted == nil else { return }
        var all: [UInt64] = []
        all.reserveCapacity(count)
        for chunk in chunks { all.append(contentsOf: chunk) }
        chunks = []
        all.sort()
        sorted = all
    }

    /// Every hash, sorted.
    var all: [UInt64] {
        mutating get {
            seal()
            return sorted ?? []
        }
    }

    mutating func contains(_ hash: UInt64) -> Bool {
        seal()
        guard let sorted else { return false }
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == hash
    }
}
