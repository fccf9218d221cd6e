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
    private var group = RowGroup(columns: [0])

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
        }
        group.beginItem()
        try AttributeShape.append(row, at: 1, to: &group.value)
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl)
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
