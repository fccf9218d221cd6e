import Glibc

/// One self-overwriting status line on stderr ("scanned 1,200,000 / 2,000,000 · deleted 40")
/// redrawn at most ten times a second, and cleared when done. Does nothing when stderr is
/// not a terminal, so cron mail and pipes never see it.
public final class ProgressLine {
    private let label: String
    private let enabled: Bool
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    public func update(_ status: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Self.nowMillis()
        guard now - lastDraw >= 100 else { return }
        lastDraw = now
        drawn = true
        StandardStreams.writeErr("\r\u{1B}[K\(label) \(status())")
    }

    public func finish() {
        guard enabled, drawn else { return }
        StandardStreams.writeErr("\r\u{1B}[K")
        drawn = false
    }

    private static func nowMillis() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }
}

/// 1234567 → "1,234,567", for counts shown to people.
public func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return value < 0 ? "-" + out : out
}

/// 1536 → "1.5K", 3_400_000 → "3.2M" (binary units, as redis' used_memory_human).
public func humanBytes(_ bytes: Int) -> String {
    let units = ["B", "K", "M", "G", "T"]
    var value = Double(bytes)
    var unit = 0
    while abs(value) >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    if unit == 0 { return "\(bytes)B" }
    let rounded = (value * 10).rounded() / 10
    return (rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) + units[unit]
}
