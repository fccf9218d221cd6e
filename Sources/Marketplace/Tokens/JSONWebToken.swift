import Keyspace
import Support

/// A JSON Web Token (RFC 7519) in compact JWS form, decoded but not trusted: the header and
/// claims are read so that a blacklist entry can live exactly as long as the token, and the
/// signature is checked only when a secret is given (`verifyHS256`).
///
/// A JWT is a bearer secret: nothing here puts its full text into a message; errors and
/// results name it by `redacted`.
public struct JSONWebToken: Sendable {
    /// The token as given, without surrounding whitespace: the blacklist key holds exactly this.
    public let text: String
    public let header: JSONValue
    public let claims: JSONValue
    /// The header's `alg` (`HS256`, `RS256`, `none`), if it is a string.
    public let algorithm: String?
    /// `exp` in Unix milliseconds (a NumericDate may have a fraction: `1300819380.5`).
    public let expiresAtMs: Int64
    /// The user the token stands for, from the claims; nil when it names none.
    public let subject: TokenSubject?
    /// `header.payload` as sent: what the signature covers.
    let signingInput: [UInt8]
    let signature: [UInt8]

    /// Decodes `text`: three base64url parts (padding optional, the signature may be empty
    /// as in an unsecured JWT), a header and a payload that are JSON objects, and a numeric
    /// `exp`. Throws `TokenError` (exit 65) naming what is wrong.
    public init(parsing rawText: String) throws(TokenError) {
        let text = String(rawText.trimmingSpaces)
        let redacted = Self.redact(text)
        func fail(_ reason: TokenError.Reason, _ detail: String) -> TokenError {
            TokenError(reason, token: redacted, detail)
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw fail(.malformed, "a JWT has three dot-separated parts, this has \(parts.count)")
        }
        let names = ["header", "payload", "signature"]
        var decoded: [[UInt8]] = []
        for (index, part) in parts.enumerated() {
            if part.isEmpty && index < 2 { throw fail(.malformed, "the \(names[index]) is empty") }
            guard let bytes = Base64URL.decode(part) else {
                throw fail(.malformed, "the \(names[index]) is not base64url")
            }
            decoded.append(bytes)
        }
        var objects: [JSONValue] = []
        for index in 0..<2 {
            guard let value = try? JSONParser.parse(decoded[index]), case .object = value else {
                throw fail(.malformed, "the \(names[index]) is not a JSON object")
            }
            objects.append(value)
        }
        guard let exp = objects[1]["exp"] else {
            throw fail(.noExpiry, "no exp claim; a blacklist entry lives until the token expires")
        }
        guard case .number(let expText) = exp, let expiresAtMs = NumericDate.milliseconds(fromNumberText: expText) else {
            throw fail(.noExpiry, "the exp claim is not a NumericDate (seconds since 1970)")
        }
        self.text = text
        self.header = objects[0]
        self.claims = objects[1]
        self.algorithm = objects[0]["alg"]?.stringValue
        self.expiresAtMs = expiresAtMs
        self.subject = TokenSubject(claims: objects[1])
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        self.signature = decoded[2]
    }

    /// The token named without giving it away: its first characters (the header, which
    /// every token of one issuer shares) and a short SHA-256 fingerprint to tell tokens
    /// apart: `eyJhbGciOi…(sha256:1f2e3d4c)`.
    public var redacted: String { Self.redact(text) }

    public static func redact(_ text: String) -> String {
        let fingerprint = SHA256.hexDigest(of: Array(text.utf8)).prefix(8)
        // Ten characters of a real token are its header's start; of a short malformed
        // one (a secret pasted by mistake?) at most a third.
        return String(text.prefix(min(10, text.count / 3))) + "…(sha256:\(fingerprint))"
    }

    /// Checks the HS256 signature with `secret` (the app's JWT secret, as UTF-8 bytes).
    /// Throws `unsupportedAlgorithm` when the header names another algorithm (never
    /// accepting `none` or an asymmetric one with a shared secret), `badSignature` when it
    /// does not verify.
    public func verifyHS256(secret: [UInt8]) throws(TokenError) {
        guard algorithm == "HS256" else {
            throw TokenError(
                .unsupportedAlgorithm, token: redacted,
                "the header's alg is \(algorithm.map { "'\($0)'" } ?? "missing"), and only HS256 can be verified with a secret")
        }
        guard HMACSHA256.isValid(signature, for: signingInput, key: secret) else {
            throw TokenError(.badSignature, token: redacted, "the HS256 signature does not verify with the given secret")
        }
    }
}

/// The user a token stands for, and the value the app writes into its blacklist entry:
/// cache-manager stores `JSON.stringify(userId)`, so an integer id is a bare number (`123`)
/// and any other string is quoted (`"abc"`).
///
/// Claims are looked up in this order: `sub` (RFC 7519's subject), then `userId`, then
/// `id`, the names NestJS apps commonly sign. Ids are integers here (docs/CLI.md), so a string
/// claim holding a canonical integer (`"123"`, as `sub` must be a string) is written as the
/// number `123`, matching the family's integer value kind.
public enum TokenSubject: Sendable, Equatable, CustomStringConvertible {
    case id(Int64)
    case text(String)

    public static let claimNames = ["sub", "userId", "id"]

    /// The first of `claimNames` holding an integer or a string; nil when none does.
    init?(claims: JSONValue) {
        for name in Self.claimNames {
            switch claims[name] {
            case .number(let text)?:
                if ParameterKind.integer.accepts(text), let id = Int64(text) { self = .id(id); return }
            case .string(let text)?:
                if ParameterKind.integer.accepts(text), let id = Int64(text) { self = .id(id); return }
                if !text.isEmpty { self = .text(text); return }
            default:
                continue
            }
        }
        return nil
    }

    /// What cache-manager stores: `JSON.stringify(userId)`.
    public var cacheValue: String { json.compactText }

    public var json: JSONValue {
        switch self {
        case .id(let id): .number(id)
        case .text(let text): .string(text)
        }
    }

    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .text(let text): text
        }
    }
}

/// RFC 7519 NumericDate: seconds since 1970 as a JSON number, possibly with a fraction
/// or an exponent. Converted without binary floating point.
enum NumericDate {
    /// Milliseconds for a JSON number's text, truncated toward zero below a millisecond;
    /// nil when it is not a number or does not fit.
    static func milliseconds(fromNumberText text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var seenPoint = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { exponent -= 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        if index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.endIndex else { return nil }
            var value = 0
            while index < bytes.endIndex {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard value < 10_000 else { return nil }
                index += 1
            }
            exponent += exponentNegative ? -value : value
        }
        // value = digits × 10^exponent seconds; milliseconds shift by three more.
        exponent += 3
        while let first = digits.first, first == 0, digits.count > 1 { digits.removeFirst() }
        if exponent < 0 {
            digits.removeLast(min(digits.count, -exponent))
            exponent = 0
        }
        guard digits.count + exponent <= 18 else { return digits.allSatisfy { $0 == 0 } ? 0 : nil }
        var result: Int64 = 0
        for digit in digits { result = result * 10 + Int64(digit) }
        for _ in 0..<exponent { result *= 10 }
        return negative ? -result : result
    }
}
