import Keyspace
import Postgres
import Support

/// The admin dashboard's periods, from the registry's `period` parameter (`today`,
/// `week`, `month`): each is the window from the start of the current UTC day, ISO week
/// (Monday) or month up to the reference time (now, unless a test fixes it).
enum AdminPeriods {
    /// `date_trunc` unit of each period value the registry lists.
    static let units: [String: String] = ["today": "day", "week": "week", "month": "month"]

    /// `WITH` items `ref` and `w(ord, period, since, until)`: one row per period.
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

    /// One period's key, from a row that starts `w.period, w.since, w.until`: the key and
    /// TTL by the period, the value `{"period":…,"from":…,"to":…` then what `fields`
    /// appends (each field with its leading comma) and `}`. A period without a TTL in
    /// the registry is an internal error, not a key that PSETEX would refuse.
    static func emit(
        _ row: CopyRow, _ sink: inout WarmSink, _ renderer: KeyRenderer, fields: (inout [UInt8]) throws -> Void
    ) throws {
        let family = renderer.family
        guard let period = row.string(0), let ttl = family.ttl.seconds(for: ["period": period]), ttl > 0 else {
            throw WWError.internalError("warm \(family.name): no TTL for period '\(row.string(0) ?? "NULL")'")
        }
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(contentsOf: period.utf8) } },
            value: { out in
                out.append(#"{"period":"#)
                out.jsonString(row, 0)
                out.append(#","from":"#)
                try out.jsonTimestamp(row, 1)
                out.append(#","to":"#)
                try out.jsonTimestamp(row, 2)
                try fields(&out)
                out.append(UInt8(ascii: "}"))
            })
    }
}

/// `admin:stats:{period}` → `{period, from, to, orderCount, paidOrderCount, revenue,
/// averageOrderValue, newUsers, newOrganizations}` for the window (see `AdminPeriods`):
/// orders created in it; those paid and not cancelled or refunded (status paid, shipped,
/// delivered), their total and average total (decimal strings, `"0.00"` when none); users
/// and orgs created in it. TTL 300 s for today, else 3600 s (the registry's policy).
final class AdminStatsSource: WarmSource {
    static let family = KeyFamily.adminStats
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = 9

    static func query(_ scope: WarmScope.Kind) -> String {
        // `windows` only fails if the registry's periods change; the pipeline checks it first.
        let windows = (try? AdminPeriods.windows(family)) ?? ""
        return """
            WITH \(windows)
            SELECT w.period, w.since, w.until, s.orders, s.paid, s.revenue, s.average,
                   (SELECT count(*) FROM users u WHERE u.created_at >= w.since AND u.created_at < w.until),
                   (SELECT count(*) FROM organizations g WHERE g.created_at >= w.since AND g.created_at < w.until)
            FROM w
            CROSS JOIN LATERAL (
                SELECT count(*) AS orders,
                       count(*) FILTER (WHERE o.status IN \(WarmSQL.soldStatuses)) AS paid,
                       coalesce(sum(o.total) FILTER (WHERE o.status IN \(WarmSQL.soldStatuses)), 0.00) AS revenue,
                       coalesce(round(avg(o.total) FILTER (WHERE o.status IN \(WarmSQL.soldStatuses)), 2), 0.00) AS average
                FROM orders o WHERE o.created_at >= w.since AND o.created_at < w.until) s
            ORDER BY w.ord
            """
    }

    private let renderer: KeyRenderer

    init(prefix: String) throws {
        _ = try AdminPeriods.windows(Self.family)
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try AdminPeriods.emit(row, &sink, renderer) { out in
            out.append(#","orderCount":"#)
            out.jsonNumber(row, 3)
            out.append(#","paidOrderCount":"#)
            out.jsonNumber(row, 4)
            out.append(#","revenue":"#)
            out.jsonDecimalString(row, 5)
            out.append(#","averageOrderValue":"#)
            out.jsonDecimalString(row, 6)
            out.append(#","newUsers":"#)
            out.jsonNumber(row, 7)
            out.append(#","newOrganizations":"#)
            out.jsonNumber(row, 8)
        }
    }
}

/// `admin:revenue:{period}` → `{period, from, to, orderCount, grossSales,
/// platformCommission, vendorEarnings, refunded}` for the window (see `AdminPeriods`):
/// over the sold items (paid, shipped, delivered) of orders created in it, the distinct
/// orders, Σ quantity × unit price, Σ commission, Σ vendor amount; and Σ of the refunds
/// completed (created) in it. Money as decimal strings.
final class AdminRevenueSource: WarmSource {
    static let family = KeyFamily.adminRevenue
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = 8

    static func query(_ scope: WarmScope.Kind) -> String {
        let windows = (try? AdminPeriods.windows(family)) ?? ""
        return """
            WITH \(windows)
            SELECT w.period, w.since, w.until, s.orders, s.gross, s.commission, s.vendor,
                   (SELECT coalesce(sum(r.amount), 0.00) FROM refunds r
                    WHERE r.status = 'completed' AND r.created_at >= w.since AND r.created_at < w.until)
            FROM w
            CROSS JOIN LATERAL (
                SELECT count(DISTINCT oi.order_id) AS orders,
                       coalesce(sum(oi.quantity * oi.unit_price), 0.00) AS gross,
                       coalesce(sum(oi.commission_amount), 0.00) AS commission,
                       coalesce(sum(oi.vendor_amount), 0.00) AS vendor
                FROM orders o JOIN order_items oi ON oi.order_id = o.id
                WHERE o.created_at >= w.since AND o.created_at < w.until AND oi.status IN \(WarmSQL.soldStatuses)) s
            ORDER BY w.ord
            """
    }

    private let renderer: KeyRenderer

    init(prefix: String) throws {
        _ = try AdminPeriods.windows(Self.family)
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try AdminPeriods.emit(row, &sink, renderer) { out in
            out.append(#","orderCount":"#)
            out.jsonNumber(row, 3)
            out.append(#","grossSales":"#)
            out.jsonDecimalString(row, 4)
            out.append(#","platformCommission":"#)
            out.jsonDecimalString(row, 5)
            out.append(#","vendorEarnings":"#)
            out.jsonDecimalString(row, 6)
            out.append(#","refunded":"#)
            out.jsonDecimalString(row, 7)
        }
    }
}

/// `admin:top-products:10` → the 10 best-selling products of all time by units sold
/// (sold items: paid, shipped, delivered), ties by product id: `[{…Product, unitsSold,
/// revenue}]`. Only limit 10 is warmed (what the dashboard asks for).
final class AdminTopProductsSource: WarmSource {
    static let family = KeyFamily.adminTopProducts
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = ProductShape.columnCount + 2
    static let limit = 10

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT \(ProductShape.columns("p")), s.units, s.revenue
        FROM (SELECT product_id, sum(quantity) AS units, sum(quantity * unit_price) AS revenue
              FROM order_items WHERE status IN \(WarmSQL.soldStatuses)
              GROUP BY product_id ORDER BY units DESC, product_id LIMIT \(limit)) s
        JOIN products p ON p.id = s.product_id
        ORDER BY s.units DESC, p.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = AdminTopProductsSource.fixedTTL
    private var value: [UInt8] = [UInt8(ascii: "[")]
    private var items = 0

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if items > 0 { value.append(UInt8(ascii: ",")) }
        items += 1
        value.append(UInt8(ascii: "{"))
        try ProductShape.appendFields(row, at: 0, to: &value)
        value.append(#","unitsSold":"#)
        value.jsonNumber(row, ProductShape.columnCount)
        value.append(#","revenue":"#)
        value.jsonDecimalString(row, ProductShape.columnCount + 1)
        value.append(UInt8(ascii: "}"))
    }

    func finish(_ sink: inout WarmSink) throws {
        value.append(UInt8(ascii: "]"))
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.appendDecimal(Int64(Self.limit)) } },
            value: { out in out.append(contentsOf: value) })
    }
}
