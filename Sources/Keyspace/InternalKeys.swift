/// Keys wwctl itself keeps next to the app's cache, under `{prefix}wwctl:`: they belong to
/// no family, are never warmed or linted as unknown, and no family's template starts
/// with `wwctl`, so they cannot collide with the app's keys.
public enum InternalKeys {
    public static let namespace = "wwctl"

    /// The invalidation epoch of a family, without the prefix (`BoundKeyspace.epochKey`):
    /// bumped by every wwctl invalidation of that family, checked by cache warming at
    /// write time (see CacheOps' InvalidationEpochs).
    static func epochBody(family: String) -> String {
        "\(namespace):epoch:\(family)"
    }

    /// The lock held by a `cache warm` run for one scope, without the prefix
    /// (`BoundKeyspace.lockKey`).
    static func lockBody(scope: String) -> String {
        "\(namespace):lock:\(scope)"
    }

    /// `epoch`, `lock`, … for a key body under the namespace; nil for other keys.
    static func kind(ofBody body: ArraySlice<UInt8>) -> String? {
        let head = Array((namespace + ":").utf8)
        guard body.count > head.count, body.starts(with: head) else { return nil }
        let rest = body.dropFirst(head.count)
        let kind = rest.prefix { $0 != UInt8(ascii: ":") }
        return kind.isEmpty ? nil : String(decoding: kind, as: UTF8.self)
    }
}
