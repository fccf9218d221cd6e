import CacheOps
import Support

/// One interval of `metrics --watch`.
struct WatchLine: Encodable {
    var time: String
    var seconds: Double
    var hitRate: Double?
    var hits: Int
    var misses: Int
    var hitsPerSec: Double
    var missesPerSec: Double
    var evictedPerSec: Double
    var expiredPerSec: Double
    var opsPerSec: Double
    var evicted: Int
    var expired: Int
    var usedMemory: Int
    var usedMemoryDelta: Int
    var keys: Int

    init(_ delta: MetricsInterval) {
        time = WallClock.isoUTC()
        seconds = rounded(delta.seconds, 3)
        hitRate = delta.hitRate.map { rounded($0, 4) }
        hits = delta.hits
        misses = delta.misses
        hitsPerSec = rounded(delta.hitsPerSec, 1)
        missesPerSec = rounded(delta.missesPerSec, 1)
        evictedPerSec = rounded(delta.evictedPerSec, 1)
        expiredPerSec = rounded(delta.expiredPerSec, 1)
        opsPerSec = rounded(delta.opsPerSec, 1)
        evicted = delta.evicted
        expired = delta.expired
        usedMemory = delta.usedMemory
        usedMemoryDelta = delta.usedMemoryDelta
        keys = delta.keys
    }

    static let columns: [(String, Int)] = [
        ("TIME", 8), ("HIT RATE", 8), ("HITS/S", 9), ("MISSES/S", 9), ("EVICT/S", 8), ("EXPIRE/S", 8),
        ("OPS/S", 9), ("MEMORY", 8), ("MEM +/-", 8), ("KEYS", 11),
    ]

    static func header(style: Style) -> String {
        style.bold(line(columns.map(\.0)))
    }

    var text: String {
        Self.line([
            WallClock.localTime(),
            hitRate.map(formatPercent) ?? "-",
            compactRate(hitsPerSec), compactRate(missesPerSec), compactRate(evictedPerSec), compactRate(expiredPerSec),
            compactRate(opsPerSec),
            humanBytes(usedMemory),
            (usedMemoryDelta >= 0 ? "+" : "-") + humanBytes(abs(usedMemoryDelta)),
            grouped(keys),
        ])
    }

    private static func line(_ cells: [String]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            let width = columns[i].1
            let pad = String(repeating: " ", count: max(0, width - displayWidth(cell)))
            out += i == 0 ? cell + pad : "  " + pad + cell
        }
        return out
    }
}

private func rounded(_ value: Double, _ digits: Int) -> Double {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return (value * scale).rounded() / scale
}
