import Glibc
import Keyspace

/// wwctl's own keys, which invalidation never deletes: those under `{prefix}wwctl:` or
/// `wwctl:`, and any key holding `wwctl:epochs:`, `wwctl:lock:` or (left by older
/// versions) `wwctl:epoch:` (another key prefix's epochs, change log and locks, reached by
/// a pattern run without that prefix). Deleting epochs or the change log would let a warm
/// that read them before the deletion write a stale value after it.
struct InternalKeyFilter {
    private let heads: [[UInt8]]
    private static let markers: [[UInt8]] = ["wwctl:epochs:", "wwctl:epoch:", "wwctl:lock:"].map { Array($0.utf8) }
    private static let shortestMarker = markers.map(\.count).min() ?? 0

    init(_ keyspace: BoundKeyspace) {
        let head = Array((InternalKeys.namespace + ":").utf8)
        heads = keyspace.prefix.isEmpty ? [head] : [keyspace.internalKeysHead, head]
    }

    func contains(_ key: [UInt8]) -> Bool {
        if heads.contains(where: { key.count >= $0.count && key[..<$0.count].elementsEqual($0) }) { return true }
        guard key.count >= Self.shortestMarker else { return false }
        // Every marker starts with "wwctl:": find each "w" with memchr, compare from there.
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
