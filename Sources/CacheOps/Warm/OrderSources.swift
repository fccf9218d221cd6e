import Keyspace
import Postgres
import Support

/// `commission:{productId}:{price}` → `{productId, price, rate, commission, vendorAmount}`
/// for a sale of one unit at each current price of the product (its own price and its
/// variants' prices, each once). The price in the key is the app's JS number form
/// (`19.9`, `20`); in the value a decimal string with two decimals (`"19.90"`). `rate`
/// is `effective_commission_rate(product)` (the most specific rule from the product's
/// category up to the root, an org rule before a category rule, else the org's own
/// rate), `commission = round(price × rate, 2)` (half away from zero), `vendorAmount =
/// price − commission`. Computed set-wise here (one rate per org and category) rather than
/// by calling the function per product.
final class CommissionSource: WarmSource {
    static let family = KeyFamily.commission
    static let scopes: Set<WarmScope.Kind> = [.org, .product]
    static let columns = 5
    /// Levels of the category tree the rate lookup walks (the category-tree warm's limit).
    static let maxCategoryDepth = 64

    static func query(_ scope: WarmScope.Kind) -> String {
        // `rates` is MATERIALIZED: computed once per (org, category) pair, not re-run for
        // each price. Each product's distinct prices come from a LATERAL union over its
        // variants (an index lookup), so there is no global sort of 1.5 M prices.
        // The walk up stops after 64 levels (depths 0…63, the category tree's limit):
        // the schema refuses only a category that is its own parent, so a longer parent
        // cycle would otherwise never end. `effective_commission_rate()` stops at the same
        // depth (migration 3), so the two still agree.
        """
        WITH RECURSIVE chain(category_id, ancestor_id, depth) AS (
            SELECT id, id, 0 FROM categories
            UNION ALL
            SELECT chain.category_id, c.parent_id, chain.depth + 1
            FROM chain JOIN categories c ON c.id = chain.ancestor_id
            WHERE c.parent_id IS NOT NULL AND chain.depth + 1 < \(Self.maxCategoryDepth)),
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
                  WHERE \(WarmSQL.filter(scope, WarmSQL.productScope))) pairs
            JOIN organizations o ON o.id = pairs.organization_id)
        SELECT p.id, x.price, rates.rate, round(x.price * rates.rate, 2), x.price - round(x.price * rates.rate, 2)
        FROM products p
        JOIN rates ON rates.organization_id = p.organization_id AND rates.category_id = p.category_id
        CROSS JOIN LATERAL (SELECT p.price UNION SELECT v.price FROM product_variants v WHERE v.product_id = p.id) x(price)
        WHERE \(WarmSQL.filter(scope, WarmSQL.productScope))
        """
    }

    private let renderer: KeyRenderer
    private let ttl = CommissionSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in
                try renderer.append(to: &out) { parameter, out in out.append(row.raw(parameter == 0 ? 0 : 1)) }
            },
            value: { out in
                out.append(#"{"productId":"#)
                out.jsonNumber(row, 0)
                out.append(#","price":"#)
                out.jsonDecimalString(row, 1)
                out.append(#","rate":"#)
                out.jsonDecimalString(row, 2)
                out.append(#","commission":"#)
                out.jsonDecimalString(row, 3)
                out.append(#","vendorAmount":"#)
                out.jsonDecimalString(row, 4)
                out.append(UInt8(ascii: "}"))
            })
    }
}

/// `order:{orderId}:vendor:{orgId}:items` → one vendor's items in an open order (status
/// pending, paid or shipped), by item id: `[OrderItem]` (see `OrderItemShape`).
final class OrderVendorItemsSource: WarmSource {
    static let family = KeyFamily.orderVendorItems
    static let scopes: Set<WarmScope.Kind> = [.org]
    static let columns = 2 + OrderItemShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT oi.order_id, oi.organization_id, \(OrderItemShape.columns("oi"))
        FROM orders o JOIN order_items oi ON oi.order_id = o.id
        WHERE o.status IN \(WarmSQL.openStatuses) AND \(WarmSQL.filter(scope, [.org: "oi.organization_id"]))
        ORDER BY oi.order_id, oi.organization_id, oi.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = OrderVendorItemsSource.fixedTTL
    private var group = RowGroup(columns: [0, 1])

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
        }
        group.beginItem()
        group.value.append(UInt8(ascii: "{"))
        try OrderItemShape.appendFields(row, at: 2, to: &group.value)
        group.value.append(UInt8(ascii: "}"))
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl)
    }
}

/// `vendor:{orgId}:earnings:{month}` → `{organizationId, month, orderCount, itemsSold,
/// grossSales, commission, vendorEarnings, refunded}` for each org and closed month
/// (before the current month, UTC) in which it sold something. Over the org's items
/// created that month with status paid, shipped or delivered: distinct orders, units,
/// Σ quantity × unit price, Σ commission, Σ vendor amount, and Σ of the completed
/// (partial) refunds on those items. Money as decimal strings. History, not a balance:
/// the one financial aggregate the policy allows in the cache.
final class VendorEarningsSource: WarmSource {
    static let family = KeyFamily.vendorEarnings
    static let scopes: Set<WarmScope.Kind> = [.org]
    static let columns = 8

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT oi.organization_id, to_char(date_trunc('month', oi.created_at), 'YYYY-MM'),
               count(DISTINCT oi.order_id), sum(oi.quantity), sum(oi.quantity * oi.unit_price),
               sum(oi.commission_amount), sum(oi.vendor_amount), coalesce(sum(rf.refunded), 0.00)
        FROM order_items oi
        LEFT JOIN (SELECT order_item_id, sum(amount) AS refunded FROM refunds
                   WHERE status = 'completed' GROUP BY order_item_id) rf ON rf.order_item_id = oi.id
        WHERE oi.status IN \(WarmSQL.soldStatuses)
          AND oi.created_at < date_trunc('month', \(WarmSQL.now))
          AND \(WarmSQL.filter(scope, [.org: "oi.organization_id"]))
        GROUP BY 1, 2
        ORDER BY 1, 2
        """
    }

    private let renderer: KeyRenderer
    private let ttl = VendorEarningsSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in
                try renderer.append(to: &out) { parameter, out in out.append(row.raw(parameter == 0 ? 0 : 1)) }
            },
            value: { out in
                out.append(#"{"organizationId":"#)
                out.jsonNumber(row, 0)
                out.append(#","month":"#)
                out.jsonString(row, 1)
                out.append(#","orderCount":"#)
                out.jsonNumber(row, 2)
                out.append(#","itemsSold":"#)
                out.jsonNumber(row, 3)
                out.append(#","grossSales":"#)
                out.jsonDecimalString(row, 4)
                out.append(#","commission":"#)
                out.jsonDecimalString(row, 5)
                out.append(#","vendorEarnings":"#)
                out.jsonDecimalString(row, 6)
                out.append(#","refunded":"#)
                out.jsonDecimalString(row, 7)
                out.append(UInt8(ascii: "}"))
            })
    }
}

/// `cart:{userId}` → the user's cart with its items, each with its variant and the
/// variant's product (`include: {items: {include: {variant: {include: {product: true}}}}}`):
/// `{…Cart, items: [{…CartItem, variant: {…ProductVariant, product: Product}}]}` (see
/// `CartShape`, `CartItemShape`), items by id. Keys: users with a cart.
final class CartSource: WarmSource {
    static let family = KeyFamily.cart
    static let scopes: Set<WarmScope.Kind> = [.user]
    static let columns = CartShape.columnCount + CartItemShape.columnCount + VariantShape.columnCount + ProductShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT \(CartShape.columns("c")), \(CartItemShape.columns("ci")),
               \(VariantShape.columns("v")), \(ProductShape.columns("p"))
        FROM carts c
        LEFT JOIN cart_items ci ON ci.cart_id = c.id
        LEFT JOIN product_variants v ON v.id = ci.variant_id
        LEFT JOIN products p ON p.id = v.product_id
        WHERE \(WarmSQL.filter(scope, [.user: "c.user_id"]))
        ORDER BY c.user_id, ci.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = CartSource.fixedTTL
    /// Grouped by the cart's user id (the key's parameter).
    private var group = RowGroup(columns: [1])
    /// The open cart's own fields (written once, from its first row).
    private var cart: [UInt8] = []
    /// First column of the item, of its variant, of the variant's product.
    private let item = CartShape.columnCount
    private let variant = CartShape.columnCount + CartItemShape.columnCount
    private let product = CartShape.columnCount + CartItemShape.columnCount + VariantShape.columnCount

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
            cart.removeAll(keepingCapacity: true)
            try CartShape.appendFields(row, at: 0, to: &cart)
        }
        guard !row.isNull(item) else { return }
        group.beginItem()
        group.value.append(UInt8(ascii: "{"))
        try CartItemShape.appendFields(row, at: item, to: &group.value)
        group.value.append(#","variant":{"#)
        try VariantShape.appendFields(row, at: variant, to: &group.value)
        group.value.append(#","product":"#)
        try ProductShape.append(row, at: product, to: &group.value)
        group.value.append("}}")
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl, head: cart, field: "items")
    }
}
