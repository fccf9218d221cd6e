/// An exact decimal number: `coefficient × 10^-scale`, for money and rates.
///
/// PostgreSQL `NUMERIC` values cross into Swift as this type and back out as its
/// string form; binary floating point never touches an amount. 38 significant digits
/// (Int128) cover every `NUMERIC(14,2)` sum this tool can meet many times over.
///
/// Equality and ordering are numeric (`1.0 == 1.00`); `description` keeps the scale
/// (`"19.90"`), which is the form PostgreSQL and the app's JSON use.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public private(set) var coefficient: Int128
    /// Digits after the decimal point, 0...38.
    public private(set) var scale: Int

    public static let maxScale = 38

    public init(coefficient: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= Self.maxScale, "scale out of range")
        self.coefficient = coefficient
        self.scale = scale
    }

    public init(_ value: Int) {
        self.init(coefficient: Int128(value), scale: 0)
    }

    public static let zero = ExactDecimal(0)

    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case invalidCharacter(Character)
        case tooManyDigits
        case notANumber
    }

    /// Parses plain decimal notation: optional sign, digits, optional `.` and digits
    /// (`"19.99"`, `"-0.5"`, `".5"`, `"10."`). Exponents, `NaN`, `Infinity`, spaces and
    /// thousands separators are rejected, so that what an operator typed is exactly
    /// the amount stored.
    public init(parsing text: some StringProtocol) throws(ParseError) {
        var utf8 = Substring(text).utf8[...]
        guard !utf8.isEmpty else { throw .empty }
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        let lowered = String(Substring(utf8)).lowercased()
        if lowered == "nan" || lowered.hasPrefix("inf") { throw .notANumber }
        var coefficient: Int128 = 0
        var scale = 0
        var sawPoint = false
        var digits = 0
        var significant = 0
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if sawPoint { throw .invalidCharacter(".") }
                sawPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                throw .invalidCharacter(Character(Unicode.Scalar(byte)))
            }
            digits += 1
            if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
            if significant > 38 { throw .tooManyDigits }
            coefficient = coefficient * 10 + Int128(byte - UInt8(ascii: "0"))
            if sawPoint {
                scale += 1
                if scale > Self.maxScale { throw .tooManyDigits }
            }
        }
        guard digits > 0 else { throw .empty }
        self.init(coefficient: negative ? -coefficient : coefficient, scale: scale)
    }

    /// `nil` when the text is not plain decimal notation.
    public init?(_ text: some StringProtocol) {
        guard let value = try? ExactDecimal(parsing: text) else { return nil }
        self = value
    }

    public var description: String {
        let negative = coefficient < 0
        let magnitude = coefficient.magnitude
        var digits = String(magnitude)
        if scale > 0 {
            if digits.count <= scale {
                digits = String(repeating: "0", count: scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }

    public var isNegative: Bool { coefficient < 0 }
    public var isZero: Bool { coefficient == 0 }

    /// The same number with trailing fractional zeros removed (`1.50` → `1.5`, `2.00` → `2`).
    public var normalized: ExactDecimal {
        var c = coefficient
        var s = scale
        while s > 0 && c % 10 == 0 {
            c /= 10
            s -= 1
        }
        return ExactDecimal(coefficient: c, scale: s)
    }

    /// Digits after the point once trailing zeros are dropped: `"19.90"` has 1.
    public var significantScale: Int { normalized.scale }

    /// Digits before the decimal point (0 for values below 1).
    public var integerDigits: Int {
        let whole = coefficient.magnitude / Self.power(of: scale).magnitude
        return whole == 0 ? 0 : String(whole).count
    }

    public enum Rounding: Sendable {
        /// Half away from zero, as PostgreSQL's `round(numeric, n)` does.
        case halfUp
        /// Half to even (banker's rounding).
        case halfEven
        /// Toward zero.
        case down
    }

    /// The value at exactly `newScale` digits, rounding when digits are dropped.
    public func rounded(scale newScale: Int, _ rule: Rounding = .halfUp) -> ExactDecimal {
        precondition(newScale >= 0 && newScale <= Self.maxScale)
        if newScale >= scale {
            return ExactDecimal(coefficient: coefficient * Self.power(of: newScale - scale), scale: newScale)
        }
        let divisor = Self.power(of: scale - newScale)
        let (quotient, remainder) = coefficient.quotientAndRemainder(dividingBy: divisor)
        return ExactDecimal(
            coefficient: quotient + Self.roundingAdjustment(quotient: quotient, remainder: remainder, divisor: divisor, rule),
            scale: newScale)
    }

    /// `self / other` at `scale` digits.
    public func divided(by other: ExactDecimal, scale resultScale: Int, _ rule: Rounding = .halfUp) -> ExactDecimal {
        precondition(!other.isZero, "division by zero")
        // self/other = (a·10^-s1)/(b·10^-s2); scaled to resultScale: a·10^(resultScale - s1 + s2) / b
        let shift = resultScale - scale + other.scale
        var numerator = coefficient
        var denominator = other.coefficient
        if shift >= 0 { numerator *= Self.power(of: shift) } else { denominator *= Self.power(of: -shift) }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return ExactDecimal(
            coefficient: quotient + Self.roundingAdjustment(quotient: quotient, remainder: remainder, divisor: denominator, rule),
            scale: resultScale)
    }

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (a, b, s) = aligned(lhs, rhs)
        return ExactDecimal(coefficient: a + b, scale: s)
    }

    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (a, b, s) = aligned(lhs, rhs)
        return ExactDecimal(coefficient: a - b, scale: s)
    }

    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let s = lhs.scale + rhs.scale
        if s <= maxScale {
            return ExactDecimal(coefficient: lhs.coefficient * rhs.coefficient, scale: s)
        }
        // Keep within 38 fractional digits; money never gets here.
        return (lhs.rounded(scale: min(lhs.scale, maxScale / 2)) * rhs.rounded(scale: min(rhs.scale, maxScale / 2)))
    }

    public static prefix func - (value: ExactDecimal) -> ExactDecimal {
        ExactDecimal(coefficient: -value.coefficient, scale: value.scale)
    }

    public static func += (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs + rhs }
    public static func -= (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs - rhs }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a < b
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a == b
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.coefficient)
        hasher.combine(n.scale)
    }

    /// Encoded as a JSON string (`"19.99"`), never a JSON number, so no reader turns it
    /// into a binary float.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ExactDecimal(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal: \(text)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: helpers

    private static func aligned(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> (Int128, Int128, Int) {
        if lhs.scale == rhs.scale { return (lhs.coefficient, rhs.coefficient, lhs.scale) }
        if lhs.scale < rhs.scale {
            return (lhs.coefficient * power(of: rhs.scale - lhs.scale), rhs.coefficient, rhs.scale)
        }
        return (lhs.coefficient, rhs.coefficient * power(of: lhs.scale - rhs.scale), lhs.scale)
    }

    static func power(of exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func roundingAdjustment(quotient: Int128, remainder: Int128, divisor: Int128, _ rule: Rounding) -> Int128 {
        guard remainder != 0 else { return 0 }
        let direction: Int128 = (remainder < 0) != (divisor < 0) ? -1 : 1
        switch rule {
        case .down:
            return 0
        case .halfUp:
            return remainder.magnitude * 2 >= divisor.magnitude ? direction : 0
        case .halfEven:
            let twice = remainder.magnitude * 2
            if twice > divisor.magnitude { return direction }
            if twice < divisor.magnitude { return 0 }
            return quotient % 2 == 0 ? 0 : direction
        }
    }
}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}
