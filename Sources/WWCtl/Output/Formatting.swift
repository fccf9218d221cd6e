import Support

// How numbers, durations and values read in tables and messages: every view's helpers in
// one place. (`shortDecimal` and `humanBytes` are in Support: health messages built in
// CacheOps use them too; so is `TerminalText`, the one escaping of control characters for
// anything a server or a user wrote, which `TextTable` applies to every cell and error
// messages built in every layer apply to the values they echo.)

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

/// A rate per second in a column: whole and grouped from 100 up (1,234), else one decimal
/// at most (12.5, 3).
func compactRate(_ value: Double) -> String {
    value >= 100 ? grouped(Int(value.rounded())) : shortDecimal((value * 10).rounded() / 10)
}

/// 0.93333 → "93.33 %".
func formatPercent(_ ratio: Double) -> String {
    let value = (ratio * 10_000).rounded() / 100
    return (value == value.rounded() ? String(Int(value)) : String(value)) + " %"
}

/// 0.2134 → "0.21 ms", 12.5 → "12.5 ms", 11008.2 → "11.01 s".
func formatMillis(_ ms: Double) -> String {
    if ms >= 1000 {
        let seconds = (ms / 10).rounded() / 100
        return "\(seconds) s"
    }
    let digits = ms < 10 ? 100.0 : 10.0
    let rounded = (ms * digits).rounded() / digits
    return "\(rounded) ms"
}

/// 2 → "2", 2.5 → "2.5": a number of seconds as given.
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}

/// 3725 → "1h 2m", 90061 → "1d 1h".
func formatDuration(_ seconds: Int) -> String {
    let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60
    if days > 0 { return "\(days)d \(hours)h" }
    if hours > 0 { return "\(hours)h \(minutes)m" }
    if minutes > 0 { return "\(minutes)m \(seconds % 60)s" }
    return "\(seconds)s"
}

/// `-1` → "no TTL", 90_061_000 → "1d 1h 1m", 59_500 → "59.5s".
func ttlDisplay(ms: Int64?) -> String {
    guard let ms else { return "-" }
    if ms == -1 { return "no TTL" }
    if ms < 0 { return "-" }
    if ms < 60_000 {
        let tenths = (ms + 50) / 100
        return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
    }
    let seconds = ms / 1000
    let (days, hours, minutes, rest) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
    var parts: [String] = []
    if days > 0 { parts.append("\(days)d") }
    if hours > 0 { parts.append("\(hours)h") }
    if minutes > 0 { parts.append("\(minutes)m") }
    if days == 0 && hours == 0 && rest > 0 { parts.append("\(rest)s") }
    return parts.joined(separator: " ")
}

/// 1.5 with 3 digits → "1.500": always that many decimals.
func fixedDecimal(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// A JSON value in a table cell: strings without their quotes, nothing as "-".
func jsonText(_ value: JSONValue?) -> String {
    switch value {
    case nil, .null?: "-"
    case .string(let text)?: text
    case let value?: value.compactText
    }
}

/// A count and its noun, grouped and in the plural unless it is one: "1 key", "0 keys",
/// "1,234 SCAN calls". `plural` for nouns that do not just take an s.
func countOf(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    grouped(count) + " " + (count == 1 ? noun : plural ?? noun + "s")
}

/// A bar `value / maximum` of `width` cells: Unicode blocks to the eighth of a cell on a
/// terminal, `#` per whole cell elsewhere (a pipe or a file gets plain text). A value
/// above zero always shows at least the smallest mark.
func bar(_ value: Double, of maximum: Double, width: Int, unicode: Bool) -> String {
    guard maximum > 0, value > 0, width > 0 else { return "" }
    let cells = min(1, value / maximum) * Double(width)
    if !unicode { return String(repeating: "#", count: max(1, Int(cells.rounded()))) }
    let eighths = max(1, Int((cells * 8).rounded()))
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
}
