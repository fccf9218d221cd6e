import Support

/// Draws for the seed data from `Support.SplitMix64`, whose output depends on nothing but
/// its state, so the seed data is the same on every machine.
///
/// The seeder never draws all rows from one long sequence. Every entity gets its own
/// generator derived from (seed, stream, index), e.g. (42, .product, 1234): any row can be
/// regenerated alone, the passes that load orders, items, refunds and ledger entries see
/// the same order, and adding a draw to one table does not shift every other table.
extension SplitMix64 {
    /// The generator for entity `index` of `stream` under the run's `seed`.
    init(seed: UInt64, stream: SeedStream, index: Int) {
        self.init(state: Self.mix(Self.mix(seed ^ (stream.rawValue &* 0x9E37_79B9_7F4A_7C15)) ^ UInt64(truncatingIfNeeded: index)))
    }

    /// Uniform in 0..<bound without modulo bias (Lemire's multiply-and-reject).
    mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// Uniform in lower...upper.
    mutating func between(_ lower: Int, _ upper: Int) -> Int {
        upper <= lower ? lower : lower + below(upper - lower + 1)
    }

    mutating func between(_ lower: Int64, _ upper: Int64) -> Int64 {
        upper <= lower ? lower : lower + Int64(below(Int(upper - lower) + 1))
    }

    /// True `perMille` times in a thousand.
    mutating func chance(perMille: Int) -> Bool { below(1000) < perMille }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index into `weights` drawn in proportion to the weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var draw = below(total)
        for (index, weight) in weights.enumerated() {
            if draw < weight { return index }
            draw -= weight
        }
        return weights.count - 1
    }
}

/// One generator stream per kind of entity (see `SplitMix64.init(seed:stream:index:)`).
enum SeedStream: UInt64 {
    case organization = 1, user, userText, membership, product, productText, variantCount, variant, variantPrice
    case orderSize, order, cart, payout, world
}

/// Draws an index in proportion to integer weights: cumulative sums and a binary search.
struct WeightedSampler {
    private let cumulative: [Int]

    init(weights: [Int]) {
        var running = 0
        cumulative = weights.map { running += max(0, $0); return running }
    }

    func sample(_ rng: inout SplitMix64) -> Int {
        let draw = rng.below(cumulative.last ?? 0)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > draw { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// Skewed sizes: entity `rank` (0 = largest) weighs `2^40 / (rank + offset)`, a Zipf-like
/// (Zipf–Mandelbrot, s = 1) curve: a few large vendors, a long tail of small ones. Integer
/// arithmetic keeps the result identical on every platform.
func zipfWeights(count: Int, offset: Int) -> [Int] {
    (0..<count).map { (1 << 40) / ($0 + offset) }
}

/// Splits `total` into parts proportional to `weights`, each at least `minimum`;
/// the parts add up to exactly `total` (when `total` ≥ minimum × count).
func allocate(_ total: Int, weights: [Int], minimum: Int) -> [Int] {
    let count = weights.count
    guard count > 0 else { return [] }
    let floorTotal = min(total, minimum * count)
    let rest = total - floorTotal
    let weightSum = weights.reduce(0, +)
    var parts = weights.map { weightSum == 0 ? 0 : Int((Int128(rest) * Int128($0)) / Int128(weightSum)) }
    var remainder = rest - parts.reduce(0, +)
    var index = 0
    while remainder > 0 {
        parts[index % count] += 1
        remainder -= 1
        index += 1
    }
    let base = floorTotal / count
    var extra = floorTotal - base * count
    for i in 0..<count {
        parts[i] += base
        if extra > 0 { parts[i] += 1; extra -= 1 }
    }
    return parts
}

/// A step through 0..<count that visits every index once: `(k × stride) % count` with
/// stride coprime to count, near the golden ratio so neighbours land far apart.
func coprimeStride(for count: Int) -> Int {
    guard count > 2 else { return 1 }
    var stride = count * 618 / 1000
    while gcd(stride, count) != 1 { stride += 1 }
    return stride
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}

/// Integer square root (floor).
func isqrt(_ value: Int) -> Int {
    guard value > 1 else { return max(0, value) }
    var x = value
    var y = (x + 1) / 2
    while y < x {
        x = y
        y = (x + value / x) / 2
    }
    return x
}
