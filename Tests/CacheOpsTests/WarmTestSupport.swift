import Foundation
import Testing
@testable import CacheOps
import Keyspace
import Postgres
import Redis
import Schema
import Support
import TestSupport

/// The seed's "now" (SeedCalendar.anchor): warms in tests use it as their reference time,
/// so the admin periods and closed months have data and do not move with the clock.
let warmReferenceTime = "2026-11-15 12:00:00+00"

/// A migrated database with the tiny seed, shared (read-only) by the warm tests of this
/// process and dropped when it exits. Tests that change data make their own.
enum WarmFixture {
    private static let shared: Result<TestDatabase, WarmFixtureError> = {
        do {
            let database = try seededDatabase(prefix: "warm")
            WarmFixture.created = database
            atexit { WarmFixture.created?.drop() }
            return .success(database)
        } catch {
            return .failure(WarmFixtureError(message: "\(error)"))
        }
    }()

    nonisolated(unsafe) private static var created: TestDatabase?

    static func database() throws -> TestDatabase { try shared.get() }

    /// A new migrated database with the tiny seed (seed 1); the caller drops it.
    static func seededDatabase(prefix: String) throws -> TestDatabase {
        let database = try TestDatabase.create(prefix: prefix)
        do {
            let connection = try database.connect()
            defer { connection.close() }
            try Migrator(connection).migrate()
            try Seeder(connection).seed(scale: .tiny, seed: 1)
        } catch {
            database.drop()
            throw error
        }
        return database
    }
}

struct WarmFixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A key as Redis holds it after a warm.
struct StoredKey: Equatable {
    var value: String
    var pttl: Int64
}

/// Every key of the database `redis` is connected to, with its value and PTTL (the tests'
/// servers hold nothing else).
func storedKeys(_ redis: RedisConnection) throws -> [String: StoredKey] {
    var names: [String] = []
    var scanner = redis.scan(count: 1000)
    try scanner.forEachKey { key in
        let name = String(decoding: key, as: UTF8.self)
        // wwctl's own bookkeeping (the change log, epochs, locks) is not the cache.
        if !name.contains("wwctl:epochs:") && !name.contains("wwctl:lock:") { names.append(name) }
    }
    var out: [String: StoredKey] = [:]
    var start = 0
    while start < names.count {
        let chunk = Array(names[start..<min(names.count, start + 500)])
        let replies = try redis.pipeline(chunk.flatMap { [["GET", $0], ["PTTL", $0]] as [[any RedisArgument]] })
        for (index, name) in chunk.enumerated() {
            out[name] = StoredKey(value: replies[2 * index].string ?? "", pttl: replies[2 * index + 1].int ?? -3)
        }
        start += chunk.count
    }
    return out
}

/// A pass of no run, for emitter and queue tests that need one to fill batches.
func scratchPass(_ family: String = "test") -> WarmPass {
    WarmPass(index: 0, familyIndex: 0, family: family, round: 0, base: .none, slotEpochs: nil, filter: nil)
}

/// Warms with the tests' reference time on a fresh connection to `database`.
@discardableResult
func warm(
    _ database: TestDatabase, redisURL: String, _ options: WarmOptions, prefix: String = ""
) throws -> WarmReport {
    let postgres = try database.connect()
    defer { postgres.close() }
    let redis = try RedisConnection(redisURL)
    defer { redis.close() }
    var options = options
    if options.referenceTime == nil { options.referenceTime = warmReferenceTime }
    return try CacheWarmer(postgres: postgres, redis: redis, keyspace: keyspace(prefix)).run(options)
}

/// The expected keys and values of each family, computed by SQL written independently of
/// the warmer: PostgreSQL's own JSON functions, `effective_commission_rate()`,
/// `trim_scale` for the key's price. Values are normalized through `JSONParser` and
/// `JSONValue.compactText` (JSON.stringify's form) so they compare byte for byte.
enum WarmOracle {
    static let sold = "('paid', 'shipped', 'delivered')"

    static func iso(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    static func organization(_ o: String) -> String {
        """
        json_build_object('id', \(o).id, 'name', \(o).name, 'slug', \(o).slug, 'status', \(o).status,
            'commissionRate', \(o).commission_rate::text, 'suspendedReason', \(o).suspended_reason,
            'suspendedAt', \(iso("\(o).suspended_at")), 'createdAt', \(iso("\(o).created_at")),
            'updatedAt', \(iso("\(o).updated_at")))
        """
    }

    static func membershipFields(_ m: String, _ r: String) -> String {
        """
        'id', \(m).id, 'userId', \(m).user_id, 'organizationId', \(m).organization_id, 'roleId', \(m).role_id,
        'role', \(r).name, 'createdAt', \(iso("\(m).created_at")), 'updatedAt', \(iso("\(m).updated_at"))
        """
    }

    static func productFields(_ p: String) -> String {
        """
        'id', \(p).id, 'organizationId', \(p).organization_id, 'categoryId', \(p).category_id, 'name', \(p).name,
        'slug', \(p).slug, 'description', \(p).description, 'status', \(p).status, 'price', \(p).price::text,
        'currency', \(p).currency, 'createdAt', \(iso("\(p).created_at")), 'updatedAt', \(iso("\(p).updated_at"))
        """
    }

    static func variantFields(_ v: String) -> String {
        """
        'id', \(v).id, 'productId', \(v).product_id, 'sku', \(v).sku, 'name', \(v).name, 'price', \(v).price::text,
        'stock', \(v).stock, 'createdAt', \(iso("\(v).created_at")), 'updatedAt', \(iso("\(v).updated_at"))
        """
    }

    static func attribute(_ a: String) -> String {
        """
        json_build_object('id', \(a).id, 'entityType', \(a).entity_type, 'code', \(a).code, 'label', \(a).label,
            'dataType', \(a).data_type, 'options', \(a).options, 'isRequired', \(a).is_required,
            'createdAt', \(iso("\(a).created_at")), 'updatedAt', \(iso("\(a).updated_at")))
        """
    }

    static func orderItem(_ i: String) -> String {
        """
        json_build_object('id', \(i).id, 'orderId', \(i).order_id, 'productId', \(i).product_id,
            'variantId', \(i).variant_id, 'organizationId', \(i).organization_id, 'quantity', \(i).quantity,
            'unitPrice', \(i).unit_price::text, 'commissionAmount', \(i).commission_amount::text,
            'vendorAmount', \(i).vendor_amount::text, 'status', \(i).status,
            'createdAt', \(iso("\(i).created_at")), 'updatedAt', \(iso("\(i).updated_at")))
        """
    }

    /// Windows of the admin periods at the reference time 2026-11-15 12:00 UTC (a Sunday):
    /// today from midnight, the ISO week from Monday 9 November, the month from the 1st.
    static let periods: [(name: String, since: String, ttl: Int)] = [
        ("today", "2026-11-15 00:00:00+00", 300),
        ("week", "2026-11-09 00:00:00+00", 3600),
        ("month", "2026-11-01 00:00:00+00", 3600),
    ]

    /// key → (value, TTL seconds) for one family.
    static func expected(_ family: String, _ connection: PostgresConnection) throws -> [String: (value: String, ttl: Int)] {
        let now = "'\(warmReferenceTime)'::timestamptz"
        var queries: [(sql: String, ttl: Int)] = []
        switch family {
        case "perm":
            queries = [("""
                SELECT 'perm:' || ou.user_id || ':' || ou.organization_id || ':' || p.resource || ':' || p.action,
                       CASE WHEN o.status <> 'suspended' AND EXISTS (
                           SELECT 1 FROM role_permissions rp WHERE rp.role_id = ou.role_id AND rp.permission_id = p.id)
                       THEN 'true' ELSE 'false' END
                FROM organization_users ou JOIN organizations o ON o.id = ou.organization_id CROSS JOIN permissions p
                """, 300)]
        case "user-orgs":
            queries = [("""
                SELECT 'user:orgs:' || ou.user_id,
                       json_agg(json_build_object(\(membershipFields("ou", "r")), 'organization', \(organization("o")))
                                ORDER BY ou.id)::text
                FROM organization_users ou JOIN roles r ON r.id = ou.role_id JOIN organizations o ON o.id = ou.organization_id
                GROUP BY ou.user_id
                """, 900)]
        case "org":
            queries = [("SELECT 'org:' || o.id, \(organization("o"))::text FROM organizations o", 1800)]
        case "org-members":
            queries = [("""
                SELECT 'org:' || o.id || ':members', coalesce((
                    SELECT json_agg(json_build_object(\(membershipFields("ou", "r")),
                                    'user', json_build_object('id', u.id, 'email', u.email, 'name', u.name)) ORDER BY ou.id)
                    FROM organization_users ou JOIN roles r ON r.id = ou.role_id JOIN users u ON u.id = ou.user_id
                    WHERE ou.organization_id = o.id), '[]'::json)::text
                FROM organizations o
                """, 1800)]
        case "org-stats":
            queries = [("""
                SELECT 'org:' || o.id || ':stats', json_build_object(
                    'organizationId', o.id,
                    'memberCount', (SELECT count(*) FROM organization_users WHERE organization_id = o.id),
                    'productCount', (SELECT count(*) FROM products WHERE organization_id = o.id),
                    'activeProductCount', (SELECT count(*) FROM products WHERE organization_id = o.id AND status = 'active'),
                    'orderCount', (SELECT count(DISTINCT order_id) FROM order_items WHERE organization_id = o.id AND status IN \(sold)),
                    'itemsSold', (SELECT coalesce(sum(quantity), 0) FROM order_items WHERE organization_id = o.id AND status IN \(sold)),
                    'grossSales', (SELECT coalesce(sum(quantity * unit_price), 0)::numeric(14,2)::text
                                   FROM order_items WHERE organization_id = o.id AND status IN \(sold)))::text
                FROM organizations o
                """, 1800)]
        case "attr-entity":
            queries = [("""
                SELECT 'attr:entity:' || a.entity_type, json_agg(\(attribute("a")) ORDER BY a.id)::text
                FROM attributes a GROUP BY a.entity_type
                """, 3600)]
        case "attr":
            queries = [("SELECT 'attr:' || a.id, \(attribute("a"))::text FROM attributes a", 3600)]
        case "product":
            queries = [("SELECT 'product:' || p.id, json_build_object(\(productFields("p")))::text FROM products p", 1800)]
        case "product-variants":
            queries = [("""
                SELECT 'product:' || p.id || ':with-variants', json_build_object(\(productFields("p")), 'variants', coalesce((
                    SELECT json_agg(json_build_object(\(variantFields("v"))) ORDER BY v.id)
                    FROM product_variants v WHERE v.product_id = p.id), '[]'::json))::text
                FROM products p
                """, 1800)]
        case "org-products":
            queries = [("""
                SELECT 'org:' || o.id || ':products', coalesce((
                    SELECT json_agg(json_build_object(\(productFields("p"))) ORDER BY p.id)
                    FROM products p WHERE p.organization_id = o.id AND p.status = 'active'), '[]'::json)::text
                FROM organizations o
                """, 900)]
        case "category-products":
            queries = [("""
                SELECT 'category:' || c.id || ':products', coalesce((
                    SELECT json_agg(json_build_object(\(productFields("p"))) ORDER BY p.id)
                    FROM products p WHERE p.category_id = c.id AND p.status = 'active'), '[]'::json)::text
                FROM categories c
                """, 900)]
        case "commission":
            queries = [("""
                SELECT 'commission:' || p.id || ':' || trim_scale(x.price)::text, json_build_object(
                    'productId', p.id, 'price', x.price::text, 'rate', effective_commission_rate(p.id)::text,
                    'commission', round(x.price * effective_commission_rate(p.id), 2)::text,
                    'vendorAmount', (x.price - round(x.price * effective_commission_rate(p.id), 2))::text)::text
                FROM products p
                CROSS JOIN LATERAL (SELECT p.price UNION SELECT v.price FROM product_variants v WHERE v.product_id = p.id) x(price)
                """, 600)]
        case "order-vendor-items":
            queries = [("""
                SELECT 'order:' || oi.order_id || ':vendor:' || oi.organization_id || ':items',
                       json_agg(\(orderItem("oi")) ORDER BY oi.id)::text
                FROM order_items oi JOIN orders o ON o.id = oi.order_id
                WHERE o.status IN ('pending', 'paid', 'shipped')
                GROUP BY oi.order_id, oi.organization_id
                """, 300)]
        case "vendor-earnings":
            queries = [("""
                SELECT 'vendor:' || oi.organization_id || ':earnings:' || to_char(oi.created_at AT TIME ZONE 'UTC', 'YYYY-MM'),
                       json_build_object('organizationId', oi.organization_id,
                           'month', to_char(oi.created_at AT TIME ZONE 'UTC', 'YYYY-MM'),
                           'orderCount', count(DISTINCT oi.order_id), 'itemsSold', sum(oi.quantity),
                           'grossSales', sum(oi.quantity * oi.unit_price)::text,
                           'commission', sum(oi.commission_amount)::text, 'vendorEarnings', sum(oi.vendor_amount)::text,
                           'refunded', coalesce(sum(rf.amount), 0)::numeric(14,2)::text)::text
                FROM order_items oi
                LEFT JOIN LATERAL (SELECT sum(r.amount) AS amount FROM refunds r
                                   WHERE r.order_item_id = oi.id AND r.status = 'completed') rf ON true
                WHERE oi.status IN \(sold) AND oi.created_at < '2026-11-01 00:00:00+00'
                GROUP BY oi.organization_id, to_char(oi.created_at AT TIME ZONE 'UTC', 'YYYY-MM')
                """, 3600)]
        case "cart":
            queries = [("""
                SELECT 'cart:' || c.user_id, json_build_object('id', c.id, 'userId', c.user_id,
                    'createdAt', \(iso("c.created_at")), 'updatedAt', \(iso("c.updated_at")), 'items', coalesce((
                        SELECT json_agg(json_build_object('id', ci.id, 'cartId', ci.cart_id, 'variantId', ci.variant_id,
                                   'quantity', ci.quantity, 'addedAt', \(iso("ci.added_at")),
                                   'variant', json_build_object(\(variantFields("v")),
                                                'product', json_build_object(\(productFields("p"))))) ORDER BY ci.id)
                        FROM cart_items ci JOIN product_variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id
                        WHERE ci.cart_id = c.id), '[]'::json))::text
                FROM carts c
                """, 600)]
        case "stock":
            queries = [("SELECT 'stock:' || v.id, v.stock::text FROM product_variants v", 120)]
        case "admin-stats":
            queries = periods.map { period in
                let window = "o.created_at >= '\(period.since)' AND o.created_at < \(now)"
                return ("""
                    SELECT 'admin:stats:\(period.name)', json_build_object('period', '\(period.name)',
                        'from', \(iso("'\(period.since)'::timestamptz")), 'to', \(iso(now)),
                        'orderCount', (SELECT count(*) FROM orders o WHERE \(window)),
                        'paidOrderCount', (SELECT count(*) FROM orders o WHERE \(window) AND o.status IN \(sold)),
                        'revenue', (SELECT coalesce(sum(o.total), 0)::numeric(14,2)::text FROM orders o WHERE \(window) AND o.status IN \(sold)),
                        'averageOrderValue', (SELECT coalesce(round(avg(o.total), 2), 0)::numeric(14,2)::text
                                              FROM orders o WHERE \(window) AND o.status IN \(sold)),
                        'newUsers', (SELECT count(*) FROM users o WHERE \(window)),
                        'newOrganizations', (SELECT count(*) FROM organizations o WHERE \(window)))::text
                    """, period.ttl)
            }
        case "admin-revenue":
            queries = periods.map { period in
                let window = "o.created_at >= '\(period.since)' AND o.created_at < \(now)"
                let items = "FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE \(window) AND oi.status IN \(sold)"
                return ("""
                    SELECT 'admin:revenue:\(period.name)', json_build_object('period', '\(period.name)',
                        'from', \(iso("'\(period.since)'::timestamptz")), 'to', \(iso(now)),
                        'orderCount', (SELECT count(DISTINCT oi.order_id) \(items)),
                        'grossSales', (SELECT coalesce(sum(oi.quantity * oi.unit_price), 0)::numeric(14,2)::text \(items)),
                        'platformCommission', (SELECT coalesce(sum(oi.commission_amount), 0)::numeric(14,2)::text \(items)),
                        'vendorEarnings', (SELECT coalesce(sum(oi.vendor_amount), 0)::numeric(14,2)::text \(items)),
                        'refunded', (SELECT coalesce(sum(r.amount), 0)::numeric(14,2)::text FROM refunds r
                                     WHERE r.status = 'completed' AND r.created_at >= '\(period.since)' AND r.created_at < \(now)))::text
                    """, 3600)
            }
        case "admin-top-products":
            queries = [("""
                SELECT 'admin:top-products:10', coalesce(json_agg(json_build_object(\(productFields("p")),
                           'unitsSold', s.units, 'revenue', s.revenue::text) ORDER BY s.units DESC, p.id), '[]'::json)::text
                FROM (SELECT product_id, sum(quantity) AS units, sum(quantity * unit_price) AS revenue
                      FROM order_items WHERE status IN \(sold) GROUP BY product_id ORDER BY 2 DESC, 1 LIMIT 10) s
                JOIN products p ON p.id = s.product_id
                """, 3600)]
        case "category-tree":
            // Checked structurally by `checkCategoryTree` (PostgreSQL has no recursive JSON builder).
            return ["categories:tree": ("", 3600)]
        default:
            Issue.record("no oracle for family \(family)")
            return [:]
        }
        var out: [String: (value: String, ttl: Int)] = [:]
        for query in queries {
            for row in try connection.query(query.sql) {
                let key = try row.requiredString(0)
                let raw = try row.requiredString(1)
                out[key] = (try normalized(raw), query.ttl)
            }
        }
        return out
    }

    /// JSON text as JSON.stringify writes the same value.
    static func normalized(_ json: String) throws -> String {
        try JSONParser.parse(json).compactText
    }

    /// The tree in `value` holds every category reachable from a root once, each with the
    /// database's fields, its children those whose parent it is, ordered by position then id.
    static func checkCategoryTree(_ value: String, _ connection: PostgresConnection) throws {
        var rows: [Int: (parent: Int?, fields: String)] = [:]
        var childrenOf: [Int?: [Int]] = [:]
        for row in try connection.query("""
            SELECT c.id, c.parent_id, json_build_object('id', c.id, 'parentId', c.parent_id, 'name', c.name,
                'slug', c.slug, 'position', c.position, 'createdAt', \(iso("c.created_at")),
                'updatedAt', \(iso("c.updated_at")))::text AS fields
            FROM categories c ORDER BY c.position, c.id
            """) {
            let id = try row.requiredInt(0)
            let parent = row.int(1)
            rows[id] = (parent, try normalized(try row.requiredString("fields")))
            childrenOf[parent, default: []].append(id)
        }
        var seen = 0
        func check(_ nodes: JSONValue, parent: Int?) throws {
            guard let array = nodes.arrayValue else {
                Issue.record("children of \(parent.map(String.init) ?? "the root") are not an array")
                return
            }
            let ids = array.compactMap { $0["id"]?.intValue }
            #expect(ids == childrenOf[parent] ?? [], "children of \(parent.map(String.init) ?? "the root")")
            for node in array {
                guard case .object(let members) = node, let id = node["id"]?.intValue, let row = rows[id] else {
                    Issue.record("a tree node without a known id")
                    continue
                }
                seen += 1
                #expect(members.last?.0 == "children")
                let fields = JSONValue.object(members.filter { $0.0 != "children" }).compactText
                #expect(fields == row.fields, "category \(id)")
                try check(node["children"] ?? .null, parent: id)
            }
        }
        try check(JSONParser.parse(value), parent: nil)
        #expect(seen == rows.count)
    }
}

/// The warmable families, in the registry's order.
let warmableFamilies = KeyspaceRegistry.standard.families.filter { $0.warmability.isWarmable }.map(\.name)
