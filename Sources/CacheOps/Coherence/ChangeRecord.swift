import Keyspace
import Support

/// What one wwctl invalidation touched, family by family: the record it appends to the
/// change log (`ChangeLog`) before deleting anything. A warm reads the records appended
/// after its snapshot to refuse exactly the keys they name, and to know which of the keys
/// it already wrote a change has since deleted.
///
/// Only warmable families are recorded: a warm never writes the others, so nothing can
/// race with their invalidation.
public struct ChangeRecord: Sendable, Equatable {
    public enum Touch: Sendable, Equatable {
        /// These keys, by name (prefix included).
        case keys([[UInt8]])
        /// Every key of the family whose parameters have these values (a sweep such as
        /// `commission:{p}:*`): deleted by a walk, whose own record (`swept`) follows.
        case selector([KeyParam])
        /// Every key of the family (`--family F`, a pattern): the family's keys written
        /// before the record are gone.
        case all
        /// The keys a walk for the `selector` touch of record `of` deleted (written after
        /// the walk, so a warm counts exactly which of its keys are gone).
        case swept(of: Int, keys: [[UInt8]])
    }

    public struct FamilyTouch: Sendable, Equatable {
        public var family: String
        public var touch: Touch

        public init(_ family: String, _ touch: Touch) {
            self.family = family
            self.touch = touch
        }
    }

    public var touches: [FamilyTouch]

    public init(_ touches: [FamilyTouch] = []) {
        self.touches = touches
    }

    public var isEmpty: Bool { touches.isEmpty }

    /// The families touched, each once, in order.
    public var families: [String] {
        var seen = Set<String>()
        return touches.map(\.family).filter { seen.insert($0).inserted }
    }

    /// The families touched through a selector, whose walks' keys a `swept` record lists.
    public var selectorFamilies: [String] {
        var seen = Set<String>()
        return touches.compactMap { touch in
            guard case .selector = touch.touch, seen.insert(touch.family).inserted else { return nil }
            return touch.family
        }
    }

    /// Keys by name, grouped by their family; keys of no warmable family are left out.
    public static func keys(_ keys: some Sequence<[UInt8]>, in keyspace: BoundKeyspace) -> ChangeRecord {
        let classifier = keyspace.classifier()
        let families = keyspace.registry.families
        var order: [Int] = []
        var byFamily: [Int: [[UInt8]]] = [:]
        for key in keys {
            guard let index = key.withUnsafeBytes({ classifier.classify($0) }).familyIndex,
                  families[index].warmability.isWarmable
            else { continue }
            if byFamily[index] == nil { order.append(index) }
            byFamily[index, default: []].append(key)
        }
        return ChangeRecord(order.map { FamilyTouch(families[$0].name, .keys(byFamily[$0] ?? [])) })
    }

    /// Every key of each warmable family of `names`.
    public static func all(_ names: some Sequence<String>, in keyspace: BoundKeyspace) -> ChangeRecord {
        let warmable = Set(keyspace.registry.families.filter { $0.warmability.isWarmable }.map(\.name))
        var seen = Set<String>()
        return ChangeRecord(names.filter { warmable.contains($0) && seen.insert($0).inserted }.map { FamilyTouch($0, .all) })
    }

    /// The keys of the selectors' families with their fixed parameters (warmable families only).
    public static func selectors(_ selectors: [KeySelector]) -> ChangeRecord {
        ChangeRecord(selectors.filter { $0.family.warmability.isWarmable }.map {
            $0.fixed.isEmpty ? FamilyTouch($0.family.name, .all) : FamilyTouch($0.family.name, .selector($0.fixed))
        })
    }

    /// This record and `other`'s touches.
    public func merged(_ other: ChangeRecord) -> ChangeRecord {
        ChangeRecord(touches + other.touches)
    }
}

// MARK: encoding

/// The bytes of a record in the log: a version byte, then per touch the family name, a
/// kind byte and its payload, every string and key with a length before it (keys are
/// binary). Little-endian 32-bit lengths.
extension ChangeRecord {
    static let version: UInt8 = 1

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.version]
        func length(_ count: Int) {
            withUnsafeBytes(of: UInt32(count).littleEndian) { out.append(contentsOf: $0) }
        }
        func bytes(_ value: [UInt8]) {
            length(value.count)
            out.append(contentsOf: value)
        }
        for touch in touches {
            bytes(Array(touch.family.utf8))
            switch touch.touch {
            case .keys(let keys):
                out.append(UInt8(ascii: "k"))
                length(keys.count)
                keys.forEach(bytes)
            case .selector(let params):
                out.append(UInt8(ascii: "s"))
                length(params.count)
                for param in params {
                    bytes(Array(param.name.utf8))
                    bytes(Array(param.value.utf8))
                }
            case .all:
                out.append(UInt8(ascii: "a"))
            case .swept(let of, let keys):
                out.append(UInt8(ascii: "w"))
                length(of)
                length(keys.count)
                keys.forEach(bytes)
            }
        }
        return out
    }

    /// The record `bytes` encode; throws a data error for anything else (a log written by
    /// an incompatible wwctl, or not by wwctl).
    public static func decode(_ bytes: [UInt8]) throws -> ChangeRecord {
        var reader = ByteReader(bytes)
        guard try reader.byte() == version else {
            throw WWError.dataError("change log: a record of an unknown version")
        }
        var touches: [FamilyTouch] = []
        while !reader.isAtEnd {
            let family = String(decoding: try reader.lengthPrefixed(), as: UTF8.self)
            switch try reader.byte() {
            case UInt8(ascii: "k"):
                touches.append(FamilyTouch(family, .keys(try reader.list { try $0.lengthPrefixed() })))
            case UInt8(ascii: "s"):
                let params = try reader.list { reader in
                    KeyParam(
                        String(decoding: try reader.lengthPrefixed(), as: UTF8.self),
                        String(decoding: try reader.lengthPrefixed(), as: UTF8.self))
                }
                touches.append(FamilyTouch(family, .selector(params)))
            case UInt8(ascii: "a"):
                touches.append(FamilyTouch(family, .all))
            case UInt8(ascii: "w"):
                let of = try reader.length()
                touches.append(FamilyTouch(family, .swept(of: of, keys: try reader.list { try $0.lengthPrefixed() })))
            default:
                throw WWError.dataError("change log: a record with an unknown kind of touch")
            }
        }
        return ChangeRecord(touches)
    }
}

/// Reads what `ChangeRecord.encoded` writes.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    static let truncated = WWError.dataError("change log: a truncated record")

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Self.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func length() throws -> Int {
        guard bytes.count - offset >= 4 else { throw Self.truncated }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
        offset += 4
        return Int(value)
    }

    mutating func lengthPrefixed() throws -> [UInt8] {
        let count = try length()
        guard bytes.count - offset >= count else { throw Self.truncated }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func list<T>(_ item: (inout ByteReader) throws -> T) throws -> [T] {
        let count = try length()
        // Each item takes at least four bytes: a count beyond that is corrupt, not a reason
        // to reserve memory.
        guard count <= (bytes.count - offset) / 4 + 1 else { throw Self.truncated }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try item(&self)) }
        return items
    }
}
