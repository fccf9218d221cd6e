/// A uniform random sample of at most `capacity` values from a stream of unknown length
/// (Vitter's algorithm R), for medians over millions of TTLs in bounded memory. The
/// generator is seeded, so the same stream gives the same sample.
public struct Reservoir: Sendable {
    public let capacity: Int
    public private(set) var values: [Int64] = []
    /// Values offered so far.
    public private(set) var seen = 0
    private var state: UInt64

    public init(capacity: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        self.capacity = max(1, capacity)
        self.state = seed == 0 ? 1 : seed
        values.reserveCapacity(min(self.capacity, 1024))
    }

    public mutating func add(_ value: Int64) {
        seen += 1
        if values.count < capacity {
            values.append(value)
            return
        }
        let slot = Int(next() % UInt64(seen))
        if slot < capacity { values[slot] = value }
    }

    /// The middle value of the sample (the lower one of the two middles); nil when empty.
    public var median: Int64? {
        guard !values.isEmpty else { return nil }
        return values.sorted()[(values.count - 1) / 2]
    }

    /// xorshift64*: fast and good enough for sampling.
    private mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
