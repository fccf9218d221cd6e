/// Round trips of one server summarised: the figures `redis-cli --latency` prints, the
/// percentiles, and a histogram in buckets that double (0.125 ms, 0.25 ms, … ).
public struct LatencyStats: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        /// The bucket holds round trips up to this many milliseconds (above the previous
        /// bucket's bound).
        public var upToMs: Double
        public var count: Int
    }

    public var samples: Int
    public var minMs: Double
    public var p50Ms: Double
    public var p90Ms: Double
    public var p99Ms: Double
    public var maxMs: Double
    public var meanMs: Double
    /// From the bucket of the fastest round trip to that of the slowest, empty ones included.
    public var buckets: [Bucket]

    /// Nil without samples. Percentiles are nearest-rank: the smallest sample at or above
    /// that share of all samples.
    public init?(milliseconds: [Double]) {
        guard !milliseconds.isEmpty else { return nil }
        let sorted = milliseconds.sorted()
        func rank(_ share: Double) -> Double {
            let index = Int((share * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)]
        }
        samples = sorted.count
        minMs = sorted[0]
        maxMs = sorted[sorted.count - 1]
        p50Ms = rank(0.5)
        p90Ms = rank(0.9)
        p99Ms = rank(0.99)
        meanMs = sorted.reduce(0, +) / Double(sorted.count)
        let first = Self.bucketIndex(minMs), last = Self.bucketIndex(maxMs)
        var counts = [Int](repeating: 0, count: last - first + 1)
        for sample in sorted { counts[Self.bucketIndex(sample) - first] += 1 }
        buckets = counts.enumerated().map { Bucket(upToMs: Self.bound(first + $0.offset), count: $0.element) }
    }

    /// Bucket 0 holds round trips up to 0.125 ms; bucket i up to 0.125 × 2^i ms.
    static func bucketIndex(_ ms: Double) -> Int {
        var index = 0
        var bound = 0.125
        while ms > bound && index < 40 {
            bound *= 2
            index += 1
        }
        return index
    }

    static func bound(_ index: Int) -> Double {
        var bound = 0.125
        for _ in 0..<index { bound *= 2 }
        return bound
    }
}
