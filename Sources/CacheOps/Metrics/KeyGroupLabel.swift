import Keyspace

/// How keys of no family are grouped for `metrics --by-family`: by their first segment,
/// or their first two when the second is a name rather than an id, so `tmp:42` and
/// `tmp:43` make `tmp:*` while `feature:flags:beta` makes `feature:flags:*`.
public enum KeyGroupLabel {
    /// The group past `FamilyMetrics.maxOtherGroups` distinct groups.
    public static let overflow = "(other groups)"

    /// The group of `key`, its bytes shown escaped (`KeyText`). A key under the app's
    /// prefix is grouped after the prefix, with the prefix kept in the label.
    public static func label(for key: [UInt8], prefix: KeyPrefix) -> String {
        let under = prefix.isEmpty ? nil : prefix.body(of: key)
        let body = under ?? key[...]
        let head = under == nil ? "" : prefix.description
        let colon = UInt8(ascii: ":")
        let segments = body.split(separator: colon, maxSplits: 2, omittingEmptySubsequences: false)
        guard segments.count >= 2 else {
            // No separator at all: the key is its own group, shortened.
            return head + KeyText.escaped(Array(body.prefix(40))) + (body.count > 40 ? "…" : "")
        }
        let first = KeyText.escaped(Array(segments[0].prefix(40)))
        if segments.count == 3, !looksLikeID(segments[1]), !segments[1].isEmpty {
            return head + first + ":" + KeyText.escaped(Array(segments[1].prefix(40))) + ":*"
        }
        return head + first + ":*"
    }

    /// Digits, or something long that mixes digits in (a UUID, a hash, a token).
    static func looksLikeID(_ segment: some Collection<UInt8>) -> Bool {
        var digits = 0
        for byte in segment where byte >= 0x30 && byte <= 0x39 { digits += 1 }
        if !segment.isEmpty && digits == segment.count { return true }
        return segment.count >= 8 && digits > 0
    }
}
