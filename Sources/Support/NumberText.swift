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

/// `value` rounded to `digits` decimals, trailing zeros dropped: (0.999996, 5) → "1",
/// (0.123456, 4) → "0.1235". Values too large for that many digits print in full.
public func roundedDecimal(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<max(0, digits) { scale *= 10 }
    let scaled = (value * scale).rounded()
    guard value.isFinite, abs(scaled) < 9e15 else { return String(value) }
    let magnitude = String(Int64(abs(scaled)))
    let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
    var whole = String(padded.dropLast(digits))
    var fraction = String(padded.suffix(digits))
    while fraction.hasSuffix("0") { fraction.removeLast() }
    if whole.isEmpty { whole = "0" }
    let sign = scaled < 0 ? "-" : ""
    return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
}

/// A value and the limit it is held against, written with as few decimals as show both the
/// limit as given and how the two compare (two decimals at least, as `shortDecimal`):
/// 0.93 and 0.8 → "0.93", "0.8"; 0.999995 and 0.99999 → "1", "0.99999" rather than "1"
/// and "1". The written numbers are ordered as the numbers are.
public func comparableDecimals(_ value: Double, _ limit: Double) -> (String, String) {
    var digits = 2
    while digits < 15, Double(roundedDecimal(limit, digits: digits)) != limit { digits += 1 }
    for digits in digits...15 {
        let (x, y) = (roundedDecimal(value, digits: digits), roundedDecimal(limit, digits: digits))
        guard let readX = Double(x), let readY = Double(y) else { break }
        if (readX < readY) == (value < limit), (readX == readY) == (value == limit) { return (x, y) }
    }
    return (String(value), String(limit))
}
