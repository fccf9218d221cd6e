import Support

/// Checks of what an operator typed for orgs and perms commands. A malformed value is a
/// usage error (exit 64); a well-formed value naming nothing (`no org 123`) is a data
/// error (65) raised by the services once they have looked.
public enum OrgInput {
    /// A display name: stored exactly as given (quotes, semicolons, Unicode), but not
    /// blank, and without NUL, which PostgreSQL text cannot hold.
    public static func name(_ value: String, what: String = "name") throws -> String {
        try text(value, what: what)
    }

    /// Free text such as a suspension reason: as `name`.
    public static func text(_ value: String, what: String) throws -> String {
        let text = value
        if text.unicodeScalars.contains("\u{0}") {
            throw WWError.usage("\(what) must not contain a NUL character")
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw WWError.usage("\(what) must not be blank")
        }
        if text.utf8.count > 1000 {
            throw WWError.usage("\(what) is longer than 1000 bytes")
        }
        return text
    }

    /// A slug: lower-case letters and digits in words joined by single hyphens
    /// (`acme-supplies`), as the schema requires.
    public static func slug(_ text: String) throws -> String {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        let valid = !text.isEmpty && text.utf8.count <= 100 && words.allSatisfy { word in
            !word.isEmpty && word.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        }
        guard valid else {
            throw WWError.usage("slug '\(text)' is not lower-case letters and digits joined by single hyphens (e.g. acme-supplies)")
        }
        return text
    }

    /// A commission rate: an exact decimal from 0 to 1 with at most 4 decimals
    /// (`0.125`, `0.0850`); NUMERIC(5,4) in the schema. Trailing zeros beyond the fourth
    /// decimal are accepted (`0.12500`), since the value is exact.
    public static func commissionRate(_ text: String) throws -> ExactDecimal {
        guard let rate = ExactDecimal(text) else {
            throw WWError.usage("commission rate '\(text)' is not \(commissionRateExpectation)")
        }
        return try commissionRate(rate)
    }

    /// A commission rate already parsed (the services' `ExactDecimal` arguments): checked
    /// as above, at scale 4.
    public static func commissionRate(_ rate: ExactDecimal) throws -> ExactDecimal {
        guard !rate.isNegative, rate <= ExactDecimal(1), rate.significantScale <= 4 else {
            throw WWError.usage("commission rate \(rate) is not \(commissionRateExpectation)")
        }
        return rate.rounded(scale: 4)
    }

    private static let commissionRateExpectation = "a decimal from 0 to 1 with at most 4 decimals"

    /// `RESOURCE:ACTION` (`product:read`): two non-empty words without spaces.
    public static func permission(_ text: String) throws -> (resource: String, action: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let resource = parts.first, let action = parts.last,
              isWord(resource), isWord(action)
        else {
            throw WWError.usage("permission '\(text)' is not RESOURCE:ACTION (e.g. product:read)")
        }
        return (String(resource), String(action))
    }

    /// A resource or action on its own (`perms check`): a non-empty word without `:`.
    public static func word(_ text: String, what: String) throws -> String {
        guard isWord(Substring(text)) else {
            throw WWError.usage("\(what) '\(text)' is not a single word without ':' (e.g. product, read)")
        }
        return text
    }

    private static func isWord(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 100
            && text.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0 != ":" && $0 != "\u{0}" }
    }

    /// `--search` text as an ILIKE pattern matching it anywhere, with `\`, `%` and `_`
    /// escaped so they match themselves.
    public static func containsPattern(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// `--limit`: 1 to 10,000.
    public static func limit(_ value: Int) throws -> Int {
        guard (1...10_000).contains(value) else {
            throw WWError.usage("--limit must be from 1 to 10000, got \(value)")
        }
        return value
    }
}
