import Keyspace

/// The longest TTL a family's policy allows one key, in milliseconds (the unit of PTTL).
/// Cheaper than `TTLPolicy.seconds(for:)` on the walk's hot path: fixed policies need no
/// parameters, and a per-parameter one reads the single parameter it depends on.
public enum PolicyLimit {
    /// nil when the policy bounds nothing by itself (`untilTokenExpiry`, `none`).
    public static func milliseconds(_ policy: TTLPolicy, for parsed: ParsedKey) -> Int64? {
        switch policy {
        case .fixed(let seconds):
            return Int64(seconds) * 1000
        case .perParameter(let name, let values, let otherwise):
            let seconds = parsed.value(of: name).flatMap { values[$0] } ?? otherwise
            return Int64(seconds) * 1000
        case .untilTokenExpiry, .none:
            return nil
        }
    }
}
