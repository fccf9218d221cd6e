import Support

/// Why a token was refused. Every case is bad input data (exit 65): the token, or the
/// secret given to verify it, is not what the app would accept.
public struct TokenError: CategorizedError, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// Not three base64url parts, or a part that is not a JSON object.
        case malformed
        /// No `exp` claim, or one that is not a NumericDate.
        case noExpiry
        /// No user in the claims (and none given), or one that is not an id.
        case noSubject
        /// A secret was given but the header's `alg` is not HS256.
        case unsupportedAlgorithm
        /// The HS256 signature does not verify with the given secret.
        case badSignature
    }

    public let reason: Reason
    /// The token in its redacted form (see `JSONWebToken.redact`).
    public let token: String
    public let detail: String

    public init(_ reason: Reason, token: String, _ detail: String) {
        self.reason = reason
        self.token = token
        self.detail = detail
    }

    public var category: ErrorCategory { .dataError }

    public var message: String { "token \(token): \(detail)" }
}
