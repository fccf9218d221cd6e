extension WarmDeclaration {
    /// `commission:{productId}:{price}` → `{productId, price, rate, commission,
    /// vendorAmount}` for a sale of one unit at each current price of the product (its own
    /// price and its variants' prices, each once). The price in the key is the app's JS
    /// number form (`19.9`, `20`); in the value a decimal string with two decimals
    /// (`"19.90"`). `rate` is `effective_commission_rate(product)` (the most specific rule
    /// from the product's category up to the root, an org rule before a category rule,
    /// else the org's own rate), `commission = round(price × rate, 2)` (half away from
    /// zero), `vendorAmount = price − commission`. Computed set-wise here (one rate per org
    /// and category) rather than by calling the function per product.
    static let commission = WarmDeclaration(
        .commission, scopes: WarmSQL.productScope, key: [.column("p.id"), .column("x.price")],
        value: .object([
            .integer("productId", "p.id"),
            .decimal("price", "x.price"),
            .decimal("rate", "rates.rate"),
            .decimal("commission", "round(x.price * rates.rate, 2)"),
            .decimal("vendorAmount", "x.price - round(x.price * rates.rate, 2)"),
        ]),
        with: { scope in
            // `rates` is MATERIALIZED: computed once per (org, category) pair, not re-run
            // for each price. The walk up stops after `maxCategoryDepth` levels (depths
            // 0…63, the category tree's limit): the schema refuses only a category that is
            // its own parent, so a longer parent cycle would otherwise never end.
            // `effective_commission_rate()` stops at the same depth (migration 3), so the
            // two still agree.
            """
            RECURSIVE chain(category_id, ancestor_id, depth) AS (
                SELECT id, id, 0 FROM categories
                UNION ALL
                SELECT chain.category_id, c.parent_id, chain.depth + 1
                FROM chain JOIN categories c ON c.id = chain.ancestor_id
                WHERE c.parent_id IS NOT NULL AND chain.depth + 1 < \(maxCategoryDepth)),
            rates AS MATERIALIZED (
                SELECT pairs.organization_id, pairs.category_id,
                       coalesce((SELECT r.rate
                                 FROM chain JOIN commission_rules r ON r.category_id = chain.ancestor_id
                                 WHERE chain.category_id = pairs.category_id
                                   AND (r.scope = 'category'
                                        OR (r.scope = 'organization' AND r.organization_id = pairs.organization_id))
                                 ORDER BY chain.depth, (r.scope = 'organization') DESC
                                 LIMIT 1),
                                o.commission_rate) AS rate
                FROM (SELECT DISTINCT organization_id, category_id FROM products p
                      WHERE \(scope.filter)) pairs
                JOIN organizations o ON o.id = pairs.organization_id)
            """
        },
        from: { _ in
            // Each product's distinct prices come from a LATERAL union over its variants
            // (an index lookup), so there is no global sort of 1.5 M prices.
            """
            FROM products p
            JOIN rates ON rates.organization_id = p.organization_id AND rates.category_id = p.category_id
            CROSS JOIN LATERAL (SELECT p.price UNION SELECT v.price FROM product_variants v WHERE v.product_id = p.id) x(price)
            """
        })

    /// `order:{orderId}:vendor:{orgId}:items` → one vendor's items in an open order
    /// (status pending, paid or shipped), by item id: `[OrderItem]` (see
    /// `WarmModel.orderItem`).
    static let orderVendorItems = WarmDeclaration(
        .orderVendorItems, scopes: [.org: "oi.organization_id"], layout: .group,
        key: [.column("oi.order_id"), .column("oi.organization_id")],
        value: .list(.object(WarmModel.orderItem.fields("oi"))),
        from: { _ in "FROM orders o JOIN order_items oi ON oi.order_id = o.id" },
        where: "o.status IN \(WarmSQL.openStatuses)", orderBy: ["oi.order_id", "oi.organization_id", "oi.id"])

    /// The month an order item was created in, `YYYY-MM`.
    private static let itemMonth = "to_char(date_trunc('month', oi.created_at), 'YYYY-MM')"

    /// `vendor:{orgId}:earnings:{month}` → `{organizationId, month, orderCount, itemsSold,
    /// grossSales, commission, vendorEarnings, refunded}` for each org and closed month
    /// (before the current month, UTC) in which it sold something. Over the org's items
    /// created that month with status paid, shipped or delivered: distinct orders, units,
    /// Σ quantity × unit price, Σ commission, Σ vendor amount, and Σ of the completed
    /// (partial) refunds on those items. Money as decimal strings. History, not a
    /// balance: the one financial aggregate the policy allows in the cache.
    static let vendorEarnings = WarmDeclaration(
        .vendorEarnings, scopes: [.org: "oi.organization_id"], key: [.column("oi.organization_id"), .column(itemMonth)],
        value: .object([
            .integer("organizationId", "oi.organization_id"),
            .string("month", itemMonth),
            .integer("orderCount", "count(DISTINCT oi.order_id)"),
            .integer("itemsSold", "sum(oi.quantity)"),
            .decimal("grossSales", "sum(oi.quantity * oi.unit_price)"),
            .decimal("commission", "sum(oi.commission_amount)"),
            .decimal("vendorEarnings", "sum(oi.vendor_amount)"),
            .decimal("refunded", "coalesce(sum(rf.refunded), 0.00)"),
        ]),
        from: { _ in
            """
            FROM order_items oi
            LEFT JOIN (SELECT order_item_id, sum(amount) AS refunded FROM refunds
                       WHERE status = 'completed' GROUP BY order_item_id) rf ON rf.order_item_id = oi.id
            """
        },
        where: "oi.status IN \(WarmSQL.soldStatuses) AND oi.created_at < date_trunc('month', \(WarmSQL.now))",
        groupBy: ["oi.organization_id", itemMonth], orderBy: ["oi.organization_id", itemMonth])

    /// `cart:{userId}` → the user's cart with its items, each with its variant and the
    /// variant's product (`include: {items: {include: {variant: {include: {product:
    /// true}}}}}`): `{…Cart, items: [{…CartItem, variant: {…ProductVariant, product:
    /// Product}}]}` (see `WarmModel.cart`, `.cartItem`), items by id. Keys: users with a cart.
    static let cart = WarmDeclaration(
        .cart, scopes: [.user: "c.user_id"], layout: .group, key: [.column("c.user_id")],
        value: .object(WarmModel.cart.fields("c") + [
            .list(
                "items",
                .object(WarmModel.cartItem.fields("ci") + [
                    .object("variant", WarmModel.variant.fields("v") + [.object("product", WarmModel.product.fields("p"))]),
                ]),
                presentWhen: "ci.id"),
        ]),
        from: { _ in
            """
            FROM carts c LEFT JOIN cart_items ci ON ci.cart_id = c.id
            LEFT JOIN product_variants v ON v.id = ci.variant_id LEFT JOIN products p ON p.id = v.product_id
            """
        },
        orderBy: ["c.user_id", "ci.id"])
}
