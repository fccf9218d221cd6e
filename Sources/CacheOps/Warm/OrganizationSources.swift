extension WarmDeclaration {
    /// `org:{orgId}` → Organization (see `WarmModel.organization`), for every org whatever
    /// its status.
    static let org = WarmDeclaration(
        .org, scopes: [.org: "o.id"], key: [.column("o.id")], value: .object(WarmModel.organization.fields("o")),
        from: { _ in "FROM organizations o" }, orderBy: ["o.id"])

    /// `org:{orgId}:members` → the org's memberships with their users, by membership id:
    /// `[{id, userId, organizationId, roleId, role, createdAt, updatedAt, user: {id, email,
    /// name}}]`. Every org has a key (`[]` when it has no member).
    static let orgMembers = WarmDeclaration(
        .orgMembers, scopes: [.org: "o.id"], layout: .group, key: [.column("o.id")],
        value: .list(
            .object(WarmModel.membership.fields("ou") + [.object("user", WarmModel.userSummary.fields("u"))]),
            presentWhen: "ou.id"),
        from: { _ in
            """
            FROM organizations o LEFT JOIN organization_users ou ON ou.organization_id = o.id
            LEFT JOIN roles r ON r.id = ou.role_id LEFT JOIN users u ON u.id = ou.user_id
            """
        },
        orderBy: ["o.id", "ou.id"])

    /// `org:{orgId}:stats` → `{organizationId, memberCount, productCount,
    /// activeProductCount, orderCount, itemsSold, grossSales}`: members; products (all
    /// statuses) and those listed (active); over the org's sold order items (status paid,
    /// shipped or delivered: not pending, cancelled or refunded) the distinct orders, the
    /// units and the gross sales (Σ quantity × unit price, a decimal string). Every org
    /// has a key.
    static let orgStats = WarmDeclaration(
        .orgStats, scopes: [.org: "o.id"], key: [.column("o.id")],
        value: .object([
            .integer("organizationId", "o.id"),
            .integer("memberCount", "coalesce(m.members, 0)"),
            .integer("productCount", "coalesce(p.products, 0)"),
            .integer("activeProductCount", "coalesce(p.active, 0)"),
            .integer("orderCount", "coalesce(s.orders, 0)"),
            .integer("itemsSold", "coalesce(s.items, 0)"),
            .decimal("grossSales", "coalesce(s.gross, 0.00)"),
        ]),
        from: { scope in
            """
            FROM organizations o
            LEFT JOIN (SELECT organization_id, count(*) AS members FROM organization_users
                       WHERE \(scope.filter("organization_id")) GROUP BY organization_id) m ON m.organization_id = o.id
            LEFT JOIN (SELECT organization_id, count(*) AS products, count(*) FILTER (WHERE status = 'active') AS active
                       FROM products WHERE \(scope.filter("organization_id")) GROUP BY organization_id) p ON p.organization_id = o.id
            LEFT JOIN (SELECT organization_id, count(DISTINCT order_id) AS orders, sum(quantity) AS items,
                              sum(quantity * unit_price) AS gross
                       FROM order_items WHERE status IN \(WarmSQL.soldStatuses) AND \(scope.filter("organization_id"))
                       GROUP BY organization_id) s ON s.organization_id = o.id
            """
        },
        orderBy: ["o.id"])
}
