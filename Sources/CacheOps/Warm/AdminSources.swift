import Keyspace
import Support

/// The admin dashboard's periods, from the registry's `period` parameter (`today`,
/// `week`, `month`): each is the window from the start of the current UTC day, ISO week
/// (Monday) or month up to the reference time (now, unless a test fixes it).
enum AdminPeriods {
    /// `date_trunc` unit of each period value the registry lists.
    static let units: [String: String] = ["today": "day", "week": "week", "month": "month"]

    /// `WITH` items `ref` and `w(ord, period, since, until)`: one row per period. A period
    /// of the registry without a unit here is an error of the declaration.
    static func windows(_ family: KeyFamily) throws -> String {
        guard let values = family.template.parameter(named: "period")?.kind.allValues else {
            throw WWError.internalError("warm \(family.name): the template has no enumerated period")
        }
        var rows: [String] = []
        for (index, value) in values.enumerated() {
            guard let unit = units[value] else {
                throw WWError.internalError("warm \(family.name): no window for period '\(value)'")
            }
            // Constants of the registry and this table, never user input.
            rows.append("(\(index), '\(value)', '\(unit)')")
        }
        return """
            ref AS (SELECT \(WarmSQL.now) AS now),
            periods(ord, period, unit) AS (VALUES \(rows.joined(separator: ", "))),
            w AS (SELECT ord, period, date_trunc(unit, ref.now) AS since, ref.now AS until FROM periods CROSS JOIN ref)
            """
    }

    /// The key and the fields every period's value starts with, `{period, from, to, …}`,
    /// from a row that has `w`.
    static let key: [WarmKeyPart] = [.column("w.period")]
    static let window: [WarmField] = [.string("period", "w.period"), .timestamp("from", "w.since"), .timestamp("to", "w.until")]
}

extension WarmDeclaration {
    /// `admin:stats:{period}` → `{period, from, to, orderCount, paidOrderCount, revenue,
    /// averageOrderValue, newUsers, newOrganizations}` for the window (see
    /// `AdminPeriods`): orders created in it; those paid and not cancelled or refunded
    /// (status paid, shipped, delivered), their total and average total (decimal strings,
    /// `"0.00"` when none); users and orgs created in it. TTL 300 s for today, else 3600 s
    /// (the registry's policy).
    static let adminStats = WarmDeclaration(
        .adminStats, key: AdminPeriods.key,
        value: .object(AdminPeriods.window + [
            .integer("orderCount", "s.orders"),
            .integer("paidOrderCount", "s.paid"),
            .decimal("revenue", "s.revenue"),
            .decimal("averageOrderValue", "s.average"),
            .integer("newUsers", "(SELECT count(*) FROM users u WHERE u.created_at >= w.since AND u.created_at < w.until)"),
            .integer(
                "newOrganizations",
                "(SELECT count(*) FROM organizations g WHERE g.created_at >= w.since AND g.created_at < w.until)"),
        ]),
        with: { _ in try AdminPeriods.windows(.adminStats) },
        from: { _ in
            """
            FROM w
            CROSS JOIN LATERAL (
                SELECT count(*) AS orders,
                       count(*) FILTER (WHERE o.status IN \(WarmSQL.soldStatuses)) AS paid,
                       coalesce(sum(o.total) FILTER (WHERE o.status IN \(WarmSQL.soldStatuses)), 0.00) AS revenue,
                       coalesce(round(avg(o.total) FILTER (WHERE o.status IN \(WarmSQL.soldStatuses)), 2), 0.00) AS average
                FROM orders o WHERE o.created_at >= w.since AND o.created_at < w.until) s
            """
        },
        orderBy: ["w.ord"])

    /// `admin:revenue:{period}` → `{period, from, to, orderCount, grossSales,
    /// platformCommission, vendorEarnings, refunded}` for the window (see `AdminPeriods`):
    /// over the sold items (paid, shipped, delivered) of orders created in it, the distinct
    /// orders, Σ quantity × unit price, Σ commission, Σ vendor amount; and Σ of the refunds
    /// completed (created) in it. Money as decimal strings.
    static let adminRevenue = WarmDeclaration(
        .adminRevenue, key: AdminPeriods.key,
        value: .object(AdminPeriods.window + [
            .integer("orderCount", "s.orders"),
            .decimal("grossSales", "s.gross"),
            .decimal("platformCommission", "s.commission"),
            .decimal("vendorEarnings", "s.vendor"),
            .decimal("refunded", """
                (SELECT coalesce(sum(r.amount), 0.00) FROM refunds r
                 WHERE r.status = 'completed' AND r.created_at >= w.since AND r.created_at < w.until)
                """),
        ]),
        with: { _ in try AdminPeriods.windows(.adminRevenue) },
        from: { _ in
            """
            FROM w
            CROSS JOIN LATERAL (
                SELECT count(DISTINCT oi.order_id) AS orders,
                       coalesce(sum(oi.quantity * oi.unit_price), 0.00) AS gross,
                       coalesce(sum(oi.commission_amount), 0.00) AS commission,
                       coalesce(sum(oi.vendor_amount), 0.00) AS vendor
                FROM orders o JOIN order_items oi ON oi.order_id = o.id
                WHERE o.created_at >= w.since AND o.created_at < w.until AND oi.status IN \(WarmSQL.soldStatuses)) s
            """
        },
        orderBy: ["w.ord"])

    /// How many products `admin:top-products` is warmed for (what the dashboard asks for).
    static let topProductsLimit = 10

    /// `admin:top-products:10` → the 10 best-selling products of all time by units sold
    /// (sold items: paid, shipped, delivered), ties by product id: `[{…Product, unitsSold,
    /// revenue}]` (`[]` before the first sale).
    static let adminTopProducts = WarmDeclaration(
        .adminTopProducts, layout: .whole, key: [.constant(String(topProductsLimit))],
        value: .list(.object(WarmModel.product.fields("p") + [
            .integer("unitsSold", "s.units"),
            .decimal("revenue", "s.revenue"),
        ])),
        from: { _ in
            """
            FROM (SELECT product_id, sum(quantity) AS units, sum(quantity * unit_price) AS revenue
                  FROM order_items WHERE status IN \(WarmSQL.soldStatuses)
                  GROUP BY product_id ORDER BY units DESC, product_id LIMIT \(topProductsLimit)) s
            JOIN products p ON p.id = s.product_id
            """
        },
        orderBy: ["s.units DESC", "p.id"])
}
