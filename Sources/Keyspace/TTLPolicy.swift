/// How long a family's keys live. The app passes milliseconds to cache-manager; the
/// policy is kept in seconds, the unit of the source's tables and of `EXPIRE`.
public enum TTLPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The same TTL for every key of the family.
    case fixed(seconds: Int)
    /// Until the JWT in the key expires (its `exp` claim): `jwt:blacklist:{token}`.
    case untilTokenExpiry
    /// Chosen by one parameter's value, with a default: `admin:stats:{period}` lives 300 s
    /// for `today`, else 3600 s.
    case perParameter(name: String, values: [String: Int], otherwise: Int)
    /// No TTL: the key is meant to persist. No family of the registry uses it.
    case none

    /// The TTL for a key with these parameters, in seconds; nil when it does not depend on
    /// the parameters alone (`untilTokenExpiry`, see `secondsUntilExpiry`) or for `.none`.
    public func seconds(for params: [String: String]) -> Int? {
        switch self {
        case .fixed(let seconds):
            return seconds
        case .perParameter(let name, let values, let otherwise):
            guard let value = params[name] else { return otherwise }
            return values[value] ?? otherwise
        case .untilTokenExpiry, .none:
            return nil
        }
    }

    /// The TTL for a key already parsed into `params`.
    public func seconds(for params: [KeyParam]) -> Int? {
        seconds(for: Dictionary(params.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The longest TTL the policy allows, for lint's "TTL above policy"; nil when unbounded
    /// by the policy itself (`untilTokenExpiry`: bounded by the token) or for `.none`.
    public var maxSeconds: Int? {
        switch self {
        case .fixed(let seconds):
            return seconds
        case .perParameter(_, let values, let otherwise):
            return max(otherwise, values.values.max() ?? otherwise)
        case .untilTokenExpiry, .none:
            return nil
        }
    }

    /// Whether keys of the family must carry a TTL (every family of the registry does).
    public var requiresTTL: Bool {
        if case .none = self { return false }
        return true
    }

    /// The TTL for a blacklist entry written at `now` for a token whose `exp` claim is
    /// `expiresAt` (both Unix seconds); nil when the token has already expired, since the
    /// app then writes nothing.
    public static func secondsUntilExpiry(expiresAt: Int, now: Int) -> Int? {
        let remaining = expiresAt - now
        return remaining > 0 ? remaining : nil
    }

    /// For tables: `300 s`, `until the token's exp`, `300 s when period=today, else 3600 s`.
    public var description: String {
        switch self {
        case .fixed(let seconds):
            return "\(seconds) s"
        case .untilTokenExpiry:
            return "until the token's exp"
        case .perParameter(let name, let values, let otherwise):
            let cases = values.sorted { $0.key < $1.key }.map { "\($0.value) s when \(name)=\($0.key)" }
            return (cases + ["else \(otherwise) s"]).joined(separator: ", ")
        case .none:
            return "none"
        }
    }
}
