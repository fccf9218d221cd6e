import Support

/// The text JavaScript's `String(number)` gives for a price, computed exactly from an
/// `ExactDecimal` so that no binary float is involved.
///
/// The app builds `commission:${productId}:${price}` from a JS number, so the key holds
/// `19.99`, `20` (not `20.00`) and `1000`. A decimal with at most 15 significant digits
/// survives the trip through a double unchanged, and then `Number.prototype.toString`
/// prints exactly its digits without trailing zeros; beyond 15 digits the app's key would
/// depend on binary rounding, so those values are refused. Exponent forms (`1e+21`,
/// `1e-7`) are outside any price and refused too.
public enum JSNumberForm {
    /// Significant digits that round-trip through an IEEE double exactly.
    public static let maxSignificantDigits = 15

    /// The JS string for `value`, or nil when the value is negative, needs more than 15
    /// significant digits, or would print in exponent form.
    public static func string(from value: ExactDecimal) -> String? {
        if value.isNegative { return nil }
        if value.isZero { return "0" }
        let normal = value.normalized
        var digits = String(normal.coefficient.magnitude)
        // Trailing zeros of an integer coefficient are not significant either (1000 → "1", n = 4).
        let totalDigits = digits.count
        while digits.hasSuffix("0") { digits.removeLast() }
        guard digits.count <= maxSignificantDigits else { return nil }
        // value = 0.d1d2…dk × 10^n
        let n = totalDigits - normal.scale
        let k = digits.count
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let split = digits.index(digits.startIndex, offsetBy: n)
            return String(digits[..<split]) + "." + String(digits[split...])
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        return nil
    }

    /// The JS string for a decimal written in plain notation (`"20.00"` → `"20"`), or nil
    /// when the text is not a decimal or has no exact JS form.
    public static func string(fromDecimalText text: some StringProtocol) -> String? {
        guard let value = ExactDecimal(text) else { return nil }
        return string(from: value)
    }

    /// Whether `text` is exactly what the app would write: `19.99`, `20`, `0.5`; not
    /// `20.00`, `020`, `+5`, `.5` or `-1`.
    public static func isCanonical(_ text: some StringProtocol) -> Bool {
        guard let first = text.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            return false
        }
        return string(fromDecimalText: text) == String(text)
    }
}
