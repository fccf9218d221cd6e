import Glibc
import Keyspace

/// wwctl's own keys, which invalidation never deletes: those under `{prefix}wwctl:` or
/// `wwctl:`, and any key holding `wwctl:epoch:` or `wwctl:lock:` (another key prefix's
/// epochs and locks, reached by a pattern run without that prefix). Deleting an epoch
/// would let a warm that read "no epoch" before the deletion write a stale value after it.
struct InternalKeyFilter {
    private let heads: [[UInt8]]
    private static let markers: [[UInt8]] = ["wwctl:epoch:", "wwctl:lock:"].map { Array($0.utf8) }

    init(_ keyspace: BoundKeyspace) {
        let head = Array((InternalKeys.namespace + ":").utf8)
        heads = keyspace.prefix.isEmpty ? [head] : [keyspace.internalKeysHead, head]
    }

    func contains(_ key: [UInt8]) -> Bool {
        if heads.contains(where: { key.count >= $0.count && key[..<$0.count].elementsEqual($0) }) { return true }
        guard key.count >= Self.markers[1].count else { return false }
        // Both markers start with "wwctl:": find each "w" with memchr, compare from there.
        return key.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            var offset = 0
            while offset < raw.count, let found = memchr(base + offset, Int32(UInt8(ascii: "w")), raw.count - offset) {
                let at = base.distance(to: UnsafeRawPointer(found))
                for marker in Self.markers where raw.count - at >= marker.count {
                    if marker.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, marker.count) }) == 0 { return true }
                }
                offset = at + 1
            }
            return false
        }
    }
}
