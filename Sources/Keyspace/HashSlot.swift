/// Redis Cluster's hash slot of a key: CRC16 (XMODEM: polynomial 0x1021, initial value 0,
/// no reflection) of the key's hash tag or of the whole key, modulo 16384, exactly as
/// `CLUSTER KEYSLOT` computes it. The hash tag is what lies between the first `{` and the
/// first `}` after it, when that is not empty: `{user7}:a` and `{user7}:b` share a slot.
///
/// The invalidation epochs are kept per slot (`SlotEpochTags`), so the slot of a key is
/// the one function every part of wwctl that guards a write uses, and a cluster router
/// routes with.
public enum HashSlot {
    public static let count = 16384

    /// The slot of `key`.
    public static func of(_ key: some Collection<UInt8>) -> Int {
        if let bytes = key as? [UInt8] {
            return bytes.withUnsafeBufferPointer { of(buffer: $0) }
        }
        return Array(key).withUnsafeBufferPointer { of(buffer: $0) }
    }

    /// The slot of the key in `buffer`.
    @inline(__always)
    public static func of(buffer key: UnsafeBufferPointer<UInt8>) -> Int {
        let hashed = tag(in: key)
        return Int(crc16(UnsafeBufferPointer(rebasing: key[hashed])) & 0x3FFF)
    }

    /// The part of `key` that is hashed: its non-empty hash tag, or all of it.
    @inline(__always)
    static func tag(in key: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return 0..<key.count }
        guard let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 else {
            return 0..<key.count
        }
        return (open + 1)..<close
    }

    /// CRC16-XMODEM of `bytes`, continuing from `crc` (0 for a fresh checksum).
    @inline(__always)
    public static func crc16(_ bytes: UnsafeBufferPointer<UInt8>, from crc: UInt16 = 0) -> UInt16 {
        var crc = crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
            }
        }
        return crc
    }

    /// CRC16-XMODEM of `bytes`.
    public static func crc16(_ bytes: [UInt8]) -> UInt16 {
        bytes.withUnsafeBufferPointer { crc16($0) }
    }

    /// The byte-at-a-time table of the polynomial 0x1021.
    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
