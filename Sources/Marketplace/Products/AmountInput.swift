import Support

/// Amounts and quantities as an operator types them, checked before anything is read or
/// written.
///
/// Two kinds of refusal, on purpose: text that is not written as an amount at all
/// (`abc`, `1e400`, `-1`, `1.999`, `+5`, `.5`) is a malformed argument, a usage error
/// (exit 64), like any argument that does not parse; a well-formed amount the data does not
/// allow (a price of 0, more than NUMERIC(14,2) holds) is bad input data (exit 65).
public enum AmountInput {
    /// The largest NUMERIC(14,2): 999999999999.99.
    public static let maximum = ExactDecimal(coefficient: 99_999_999_999_999, scale: 2)

    /// An amount of money: digits, optionally `.` and one or two digits; no sign, exponent,
    /// spaces or separators. `what` names the argument in messages (`price`).
    public static func money(_ text: String, what: String) throws(WWError) -> ExactDecimal {
        let bytes = Array(text.utf8)
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = point.map { Array(bytes[..<$0]) } ?? bytes
        let fraction = point.map { Array(bytes[($0 + 1)...]) } ?? []
        guard !whole.isEmpty, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
              point == nil || (1...2).contains(fraction.count)
        else {
            throw .usage("\(what) '\(shown(text))' is not an amount: use digits with at most two decimals, e.g. 19.99")
        }
        // Leading zeros are not digits of the value.
        let significantWhole = whole.drop { $0 == UInt8(ascii: "0") }
        guard significantWhole.count <= 12, let value = ExactDecimal(text), value <= maximum else {
            throw .dataError("\(what) \(shown(text)) is more than \(maximum) (NUMERIC(14,2))")
        }
        return value.rounded(scale: 2)
    }

    /// A price: an amount greater than 0.
    public static func price(_ text: String) throws(WWError) -> ExactDecimal {
        let value = try money(text, what: "price")
        guard value > .zero else { throw .dataError("price must be greater than 0, got \(text)") }
        return value
    }

    /// A stock level: a non-negative integer that fits PostgreSQL's `integer`.
    public static func quantity(_ text: String) throws(WWError) -> Int {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else {
            throw .usage("quantity '\(shown(text))' is not a whole number of 0 or more")
        }
        let digits = bytes.drop { $0 == UInt8(ascii: "0") }
        guard digits.count <= 10, let value = Int(text), value <= Int(Int32.max) else {
            throw .dataError("quantity \(shown(text)) is more than \(Int32.max)")
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The argument as quoted in a message: one line, not too long.
    static func shown(_ text: String) -> String {
        let line = String(text.unicodeScalars.map { $0.value < 0x20 ? "?" : Character($0) })
        return line.count > 40 ? String(line.prefix(40)) + "…" : line
    }
}
