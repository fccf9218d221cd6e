import Keyspace
import Postgres
import Support

/// `attr:entity:{entityType}` → the entity type's attribute definitions by id:
/// `[Attribute]` (see `AttributeShape`). Keys: the entity types that have attributes.
/// Not per org, user or product: only a warm without scope writes it.
final class AttrEntitySource: WarmSource {
    static let family = KeyFamily.attrEntity
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = 1 + AttributeShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        "SELECT a.entity_type, \(AttributeShape.columns("a")) FROM attributes a ORDER BY a.entity_type, a.id"
    }

    private let renderer: KeyRenderer
    private let ttl = AttrEntitySource.fixedTTL
    private var group = RowGroup()

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row, [0]) {
            try emitGroup(&sink)
            group.open(row, [0])
        }
        group.beginItem()
        try AttributeShape.append(row, at: 1, to: &group.value)
    }

    func finish(_ sink: inout WarmSink) throws {
        try emitGroup(&sink)
    }

    private func emitGroup(_ sink: inout WarmSink) throws {
        guard group.isOpen else { return }
        group.close()
        // The entity type is text: decode COPY escapes before it goes into the key.
        var entityType: [UInt8] = []
        group.column(0).withUnsafeBufferPointer { field in CopyRows.unescape(field) { entityType.append($0) } }
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(contentsOf: entityType) } },
            value: { out in out.append(contentsOf: group.value) })
    }
}

/// `attr:{attrId}` → one attribute definition (see `AttributeShape`), for every attribute.
final class AttrSource: WarmSource {
    static let family = KeyFamily.attr
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = AttributeShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        "SELECT \(AttributeShape.columns("a")) FROM attributes a ORDER BY a.id"
    }

    private let renderer: KeyRenderer
    private let ttl = AttrSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(row.raw(0)) } },
            value: { out in try AttributeShape.append(row, at: 0, to: &out) })
    }
}
