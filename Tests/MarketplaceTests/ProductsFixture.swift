import Foundation
import Keyspace
import Postgres
import Redis
import Schema
import Support
import TestSupport

/// A scratch database with the tiny seed, for one test.
struct SeededScratch {
    let database: TestDatabase
    let connection: PostgresConnection

    static func with<T>(prefix: String, _ body: (SeededScratch) throws -> T) throws -> T {
        try TestDatabase.with(prefix: prefix) { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Migrator(connection).migrate()
            try Seeder(connection).seed(scale: .tiny, seed: 1)
            return try body(SeededScratch(database: db, connection: connection))
        }
    }

    func int(_ sql: String, _ params: [(any PostgresBindable)?] = []) throws -> Int {
        try connection.query(sql, params)[0].requiredInt(0)
    }

    func decimal(_ sql: String, _ params: [(any PostgresBindable)?] = []) throws -> ExactDecimal {
        try connection.query(sql, params)[0].requiredDecimal(0)
    }

    func ints(_ sql: String, _ params: [(any PostgresBindable)?] = []) throws -> [Int] {
        try connection.query(sql, params).map { try $0.requiredInt(0) }
    }
}

/// A product picked for its neighbours: it has variants, a cart holds one of them, and
/// another product of another org in another category exists to plant decoys for.
struct ProductUnderTest {
    var id: Int
    var org: Int
    var category: Int
    var price: ExactDecimal
    var variants: [Int]
    var variantPrices: [ExactDecimal]
    var cartUsers: [Int]

    static func pick(_ db: SeededScratch) throws -> ProductUnderTest {
        let id = try db.int("""
            SELECT v.product_id FROM cart_items ci JOIN product_variants v ON v.id = ci.variant_id
            GROUP BY v.product_id HAVING count(DISTINCT v.id) >= 1 ORDER BY v.product_id LIMIT 1
            """)
        let row = try db.connection.query("SELECT organization_id, category_id, price FROM products WHERE id = $1", [id])[0]
        let variants = try db.connection.query("SELECT id, price FROM product_variants WHERE product_id = $1 ORDER BY id", [id])
        return ProductUnderTest(
            id: id, org: try row.requiredInt(0), category: try row.requiredInt(1), price: try row.requiredDecimal(2),
            variants: try variants.map { try $0.requiredInt(0) }, variantPrices: try variants.map { try $0.requiredDecimal(1) },
            cartUsers: try db.ints("""
                SELECT DISTINCT c.user_id FROM cart_items ci JOIN carts c ON c.id = ci.cart_id
                JOIN product_variants v ON v.id = ci.variant_id WHERE v.product_id = $1 ORDER BY 1
                """, [id]))
    }

    /// Another product of another org in another category.
    static func neighbour(of p: ProductUnderTest, _ db: SeededScratch) throws -> (id: Int, org: Int, category: Int, variant: Int) {
        let row = try db.connection.query("""
            SELECT p.id, p.organization_id, p.category_id, min(v.id) AS variant FROM products p JOIN product_variants v ON v.product_id = p.id
            WHERE p.organization_id <> $1 AND p.category_id <> $2 GROUP BY p.id ORDER BY p.id LIMIT 1
            """, [p.org, p.category])[0]
        return (try row.requiredInt(0), try row.requiredInt(1), try row.requiredInt(2), try row.requiredInt(3))
    }

    /// The keys a change of this product must delete by name, spelled out here (not
    /// taken from the registry) at `prices`.
    func expectedKeys(prices: [ExactDecimal], categories: [Int]? = nil) -> Set<String> {
        var keys: Set<String> = ["product:\(id)", "product:\(id):with-variants", "org:\(org):products", "org:\(org):stats"]
        for c in categories ?? [category] { keys.insert("category:\(c):products") }
        for price in prices + variantPrices { keys.insert("commission:\(id):\(appPriceText(price))") }
        for v in variants { keys.insert("stock:\(v)") }
        for u in cartUsers { keys.insert("cart:\(u)") }
        return keys
    }
}

/// `19.90` → `19.9`, `20.00` → `20`: how the app's JS prints a price.
func appPriceText(_ value: ExactDecimal) -> String {
    var text = value.description
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text
}

extension RedisConnection {
    func plant(_ keys: some Sequence<String>) throws {
        let commands = keys.map { ["SET", $0, "{}"] as [any RedisArgument] }
        if !commands.isEmpty { _ = try pipeline(commands) }
    }

    func whichExist(_ keys: some Sequence<String>) throws -> Set<String> {
        var out: Set<String> = []
        for key in keys where try command(["EXISTS", key]).int == 1 { out.insert(key) }
        return out
    }

    func scanAll() throws -> Set<String> {
        var scanner = scan(count: 1000)
        var out: Set<String> = []
        try scanner.forEachKey { out.insert(String(decoding: $0, as: UTF8.self)) }
        return out
    }
}

/// The category of the error `body` throws; nil when it returns.
func thrownCategory(_ body: () throws -> Any) -> ErrorCategory? {
    do {
        _ = try body()
        return nil
    } catch let error as any CategorizedError {
        return error.category
    } catch {
        return .internalError
    }
}
