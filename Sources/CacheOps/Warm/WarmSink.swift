import Support

/// Keys and values of one family, back to back, with the end of each: one EVALSHA.
final class WarmBatch: @unchecked Sendable {
    /// The pass (family, snapshot) the values come from.
    let pass: WarmPass
    var keyBytes: [UInt8] = []
    var keyEnds: [Int] = []
    var valueBytes: [UInt8] = []
    var valueEnds: [Int] = []
    /// TTL of each key in milliseconds.
    var ttls: [Int64] = []
    /// Whether every key has the same TTL (sent once instead of per key).
    var uniformTTL = true

    init(pass: WarmPass, capacity: Int) {
        self.pass = pass
        keyEnds.reserveCapacity(capacity)
        valueEnds.reserveCapacity(capacity)
        ttls.reserveCapacity(capacity)
    }

    var count: Int { keyEnds.count }
    var byteCount: Int { keyBytes.count + valueBytes.count }

    func removeAll() {
        keyBytes.removeAll(keepingCapacity: true)
        keyEnds.removeAll(keepingCapacity: true)
        valueBytes.removeAll(keepingCapacity: true)
        valueEnds.removeAll(keepingCapacity: true)
        ttls.removeAll(keepingCapacity: true)
        uniformTTL = true
    }
}

/// Where the emitter writes a family's keys: fills batches of bounded size and hands each
/// full one to `deliver` (the queue to the Redis writer; nothing in a dry run). A re-warm
/// pass keeps only the keys of its interest.
struct WarmSink {
    let pass: WarmPass
    let maxKeys: Int
    let maxBytes: Int
    let dryRun: Bool
    var jitter: TTLJitter
    private let deliver: (WarmBatch) throws -> Void
    private var batch: WarmBatch
    /// Keys and bytes (key + value) produced so far.
    private(set) var keys = 0
    private(set) var bytes = 0

    init(
        pass: WarmPass, maxKeys: Int, maxBytes: Int, dryRun: Bool, jitter: TTLJitter,
        deliver: @escaping (WarmBatch) throws -> Void
    ) {
        self.pass = pass
        self.maxKeys = maxKeys
        self.maxBytes = maxBytes
        self.dryRun = dryRun
        self.jitter = jitter
        self.deliver = deliver
        self.batch = WarmBatch(pass: pass, capacity: maxKeys)
    }

    /// One key: `key` appends the key's bytes, `value` the value's.
    @inline(__always)
    mutating func emit(
        ttlSeconds: Int, key: (inout [UInt8]) throws -> Void, value: (inout [UInt8]) throws -> Void
    ) throws {
        let keyStart = batch.keyBytes.count
        let valueStart = batch.valueBytes.count
        try key(&batch.keyBytes)
        if let filter = pass.filter {
            let name = Array(batch.keyBytes[keyStart...])
            guard filter.wants(name) else {
                batch.keyBytes.removeSubrange(keyStart...)
                return
            }
            pass.emitted(name)
        }
        try value(&batch.valueBytes)
        batch.keyEnds.append(batch.keyBytes.count)
        batch.valueEnds.append(batch.valueBytes.count)
        let ttl = jitter.milliseconds(seconds: ttlSeconds)
        if let first = batch.ttls.first, first != ttl { batch.uniformTTL = false }
        batch.ttls.append(ttl)
        keys += 1
        bytes += batch.keyBytes.count - keyStart + batch.valueBytes.count - valueStart
        if batch.count >= maxKeys || batch.byteCount >= maxBytes { try flush() }
    }

    /// Hands over the batch being filled, if it holds anything.
    mutating func flush() throws {
        guard batch.count > 0 else { return }
        if dryRun {
            batch.removeAll()
            return
        }
        try deliver(batch)
        batch = WarmBatch(pass: pass, capacity: maxKeys)
    }
}

/// Spreads TTLs: each key's TTL uniform over [TTL·(1−F), TTL] milliseconds, so keys
/// warmed together do not all expire together. A small PRNG (SplitMix64, seeded from
/// the system generator once) keeps a system call out of the per-key path.
struct TTLJitter {
    let fraction: Double
    private var random: SplitMix64

    init(fraction: Double, seed: UInt64? = nil) {
        self.fraction = fraction
        var system = SystemRandomNumberGenerator()
        self.random = SplitMix64(state: seed ?? system.next())
    }

    /// Whether `fraction` is allowed: 0 ≤ F < 1.
    static func isValid(_ fraction: Double) -> Bool {
        fraction.isFinite && fraction >= 0 && fraction < 1
    }

    /// The bounds of the TTL in milliseconds for a policy of `seconds`.
    static func bounds(seconds: Int, fraction: Double) -> ClosedRange<Int64> {
        let full = Int64(seconds) * 1000
        guard fraction > 0 else { return full...full }
        let low = max(1, Int64((Double(full) * (1 - fraction)).rounded(.up)))
        return min(low, full)...full
    }

    @inline(__always)
    mutating func milliseconds(seconds: Int) -> Int64 {
        let full = Int64(seconds) * 1000
        guard fraction > 0 else { return full }
        let range = Self.bounds(seconds: seconds, fraction: fraction)
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(random.next() % span)
    }
}
