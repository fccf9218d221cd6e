// The two number formats that messages built below the command line (health checks in
// CacheOps) share with its views. Every other formatting helper of the command line is in
// Sources/WWCtl/Output/Formatting.swift.

/// Two decimals, trailing zeros dropped: 0.9333 → "0.93", 0.8 → "0.8", 12 → "12".
public func shortDecimal(_ value: Double) -> String {
    guard value.isFinite else { return String(value) }
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return String(rounded)
}

/// 1536 → "1.5K", 3_400_000 → "3.2M": binary units, as redis' used_memory_human.
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
