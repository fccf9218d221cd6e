/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, well-mixed generator whose output
/// depends on nothing but its state, so a seeded sequence is the same on every machine
/// (the seed data) and drawing costs no system call (the warm's TTL jitter).
public struct SplitMix64: Sendable {
    public var state: UInt64

    @inlinable
    public init(state: UInt64) { self.state = state }

    /// What `next()` returns from state `value`, without a generator: derives seeds.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let output = Self.mix(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return output
    }
}
