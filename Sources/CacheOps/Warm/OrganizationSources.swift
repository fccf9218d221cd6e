import Keyspace
import Postgres
import Support

/// `org:{orgId}` → Organization (see `OrganizationShape`), for every org whatever its status.
final class OrgSource: WarmSource {
    static let family = KeyFamily.org
    static let scopes: Set<WarmScope.Kind> = [.org]
    static let columns = OrganizationShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT \(OrganizationShape.columns("o")) FROM organizations o
        WHERE \(WarmSQL.filter(scope, [.org: "o.id"])) ORDER BY o.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = OrgSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(row.raw(0)) } },
            value: { out in
                out.append(UInt8(ascii: "{"))
                try OrganizationShape.appendFields(row, at: 0, to: &out)
                out.append(UInt8(ascii: "}"))
            })
    }
}

/// `org:{orgId}:members` → the org's memberships with their users, by membership id:
/// `[{id, userId, organizationId, roleId, role, createdAt, updatedAt, user: {id, email,
/// name}}]`. Every org has a key (`[]` when it has no member).
final class OrgMembersSource: WarmSource {
    static let family = KeyFamily.orgMembers
    static let scopes: Set<WarmScope.Kind> = [.org]
    static let columns = 1 + MembershipShape.columnCount + UserSummaryShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT o.id, \(MembershipShape.columns("ou")), \(UserSummaryShape.columns("u"))
        FROM organizations o
        LEFT JOIN organization_users ou ON ou.organization_id = o.id
        LEFT JOIN roles r ON r.id = ou.role_id
        LEFT JOIN users u ON u.id = ou.user_id
        WHERE \(WarmSQL.filter(scope, [.org: "o.id"]))
        ORDER BY o.id, ou.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = OrgMembersSource.fixedTTL
    private var group = RowGroup(columns: [0])

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
        }
        guard !row.isNull(1) else { return }
        group.beginItem()
        group.value.append(UInt8(ascii: "{"))
        try MembershipShape.appendFields(row, at: 1, to: &group.value)
        group.value.append(#","user":{"#)
        try UserSummaryShape.appendFields(row, at: 1 + MembershipShape.columnCount, to: &group.value)
        group.value.append("}}")
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl)
    }
}

/// `org:{orgId}:stats` → `{organizationId, memberCount, productCount, activeProductCount,
/// orderCount, itemsSold, grossSales}`: members; products (all statuses) and those
/// listed (active); over the org's sold order items (status paid, shipped or delivered:
/// not pending, cancelled or refunded) the distinct orders, the units and the gross
/// sales (Σ quantity × unit price, a decimal string). Every org has a key.
final class OrgStatsSource: WarmSource {
    static let family = KeyFamily.orgStats
    static let scopes: Set<WarmScope.Kind> = [.org]
    static let columns = 7

    static func query(_ scope: WarmScope.Kind) -> String {
        func filter(_ column: String) -> String { WarmSQL.filter(scope, [.org: column]) }
        return """
            SELECT o.id, coalesce(m.members, 0), coalesce(p.products, 0), coalesce(p.active, 0),
                   coalesce(s.orders, 0), coalesce(s.items, 0), coalesce(s.gross, 0.00)
            FROM organizations o
            LEFT JOIN (SELECT organization_id, count(*) AS members FROM organization_users
                       WHERE \(filter("organization_id")) GROUP BY organization_id) m ON m.organization_id = o.id
            LEFT JOIN (SELECT organization_id, count(*) AS products, count(*) FILTER (WHERE status = 'active') AS active
                       FROM products WHERE \(filter("organization_id")) GROUP BY organization_id) p ON p.organization_id = o.id
            LEFT JOIN (SELECT organization_id, count(DISTINCT order_id) AS orders, sum(quantity) AS items,
                              sum(quantity * unit_price) AS gross
                       FROM order_items WHERE status IN \(WarmSQL.soldStatuses) AND \(filter("organization_id"))
                       GROUP BY organization_id) s ON s.organization_id = o.id
            WHERE \(filter("o.id"))
            ORDER BY o.id
            """
    }

    private let renderer: KeyRenderer
    private let ttl = OrgStatsSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(row.raw(0)) } },
            value: { out in
                out.append(#"{"organizationId":"#)
                out.jsonNumber(row, 0)
                out.append(#","memberCount":"#)
                out.jsonNumber(row, 1)
                out.append(#","productCount":"#)
                out.jsonNumber(row, 2)
                out.append(#","activeProductCount":"#)
                out.jsonNumber(row, 3)
                out.append(#","orderCount":"#)
                out.jsonNumber(row, 4)
                out.append(#","itemsSold":"#)
                out.jsonNumber(row, 5)
                out.append(#","grossSales":"#)
                out.jsonDecimalString(row, 6)
                out.append(UInt8(ascii: "}"))
            })
    }
}
