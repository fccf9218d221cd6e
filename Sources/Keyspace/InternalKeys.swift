/// Keys wwctl itself keeps next to the app's cache, under `{prefix}wwctl:`: they belong to
/// no family, are never warmed or linted as unknown, and no family's template starts
/// with `wwctl`, so they cannot collide with the app's keys.
public enum InternalKeys {
    public static let namespace = "wwctl"

    /// What every key of the invalidation epochs starts with, after the prefix.
    public static let epochsHead = "\(namespace):epochs:"

    /// The epochs of one hash slot, without the prefix (`BoundKeyspace.epochKey(slot:)`):
    /// a hash of family name → counter, bumped by every wwctl invalidation of a key of
    /// that family in that slot and read by a warm that guards its writes per slot (see
    /// CacheOps' `InvalidationEpochs`). `tag` (ASCII) pins the key to the slot
    /// (`SlotEpochTags`).
    static func epochsBody(tag: [UInt8]) -> String {
        epochsHead + "{" + String(decoding: tag, as: UTF8.self) + "}"
    }

    /// The change log, without the prefix (`BoundKeyspace.changeLogKey`): the sequence of
    /// wwctl's invalidations and what each touched (see CacheOps' `ChangeLog`).
    static let changeLogBody = epochsHead + "log"

    /// The lock held by a `cache warm` run for one scope, without the prefix
    /// (`BoundKeyspace.lockKey`).
    static func lockBody(scope: String) -> String {
        "\(namespace):lock:\(scope)"
    }

    /// `epochs`, `lock`, … for a key body under the namespace; nil for other keys.
    static func kind(ofBody body: ArraySlice<UInt8>) -> String? {
        let head = Array((namespace + ":").utf8)
        guard body.count > head.count, body.starts(with: head) else { return nil }
        let rest = body.dropFirst(head.count)
        let kind = rest.prefix { $0 != UInt8(ascii: ":") }
        return kind.isEmpty ? nil : String(decoding: kind, as: UTF8.self)
    }
}
