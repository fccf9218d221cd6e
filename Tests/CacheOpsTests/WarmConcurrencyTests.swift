import Foundation
import Testing
import Synchronization
import CacheOps
import Keyspace
import Postgres
import Redis
import Support
import TestSupport

/// `cache warm product` racing `products set-price 17 9.99` (issue 5): afterwards
/// `product:17` holds 9.99 or is absent, never the old price. The change is made exactly
/// as a wwctl mutation makes it — UPDATE and commit in PostgreSQL, then the registry's
/// plan applied by `PlanExecutor` (epochs bumped, then keys deleted) — at the worst
/// moment: after the warm has read the epochs and taken its snapshot (the old price),
/// before it writes. Own database (the test changes data) and redis-server (port 6474).
@Suite(.serialized) final class WarmConcurrencyTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6474)
        redis = try RedisConnection(server.url())
    }

    /// Sets product 17's price the way `products set-price` does, and invalidates.
    static func setPrice(_ database: TestDatabase, redisURL: String, product: Int, price: String) throws {
        let connection = try database.connect()
        defer { connection.close() }
        let change: DataChange = try connection.transaction { connection in
            let old = try connection.query(
                "SELECT organization_id, category_id, price FROM products WHERE id = $1 FOR UPDATE", [product])
            guard let row = old.first else { throw WWError.dataError("no product \(product)") }
            try connection.execute("UPDATE products SET price = $1::numeric, updated_at = now() WHERE id = $2", [price, product])
            let variants = try connection.query("SELECT id, price FROM product_variants WHERE product_id = $1 ORDER BY id", [product])
            guard let new = ExactDecimal(price) else { throw WWError.usage("bad price \(price)") }
            var prices = [try row.requiredDecimal("price"), new]
            prices += try variants.map { try $0.requiredDecimal("price") }
            return .product(
                productId: product, orgId: try row.requiredInt("organization_id"),
                categoryIds: [try row.requiredInt("category_id")], prices: prices,
                variantIds: try variants.map { try $0.requiredInt("id") })
        }
        let invalidation = try RedisConnection(redisURL)
        defer { invalidation.close() }
        _ = try PlanExecutor(redis: invalidation, keyspace: unprefixed).apply(unprefixed.plan(for: change))
    }

    private func racingWarm(retry: Bool) throws -> (WarmReport, stored: String?, errors: [String]) {
        let database = try WarmFixture.seededDatabase(prefix: "warmrace")
        defer { database.drop() }
        try redis.command(["FLUSHALL"])
        let url = server.url()
        let errors = Mutex<[String]>([])
        let fired = Mutex(false)
        var options = WarmOptions(families: ["product"])
        options.retrySkipped = retry
        options.afterSnapshot = { family in
            guard family == "product", fired.withLock({ done in defer { done = true }; return !done }) else { return }
            do {
                try Self.setPrice(database, redisURL: url, product: 17, price: "9.99")
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        let report = try warm(database, redisURL: url, options)
        // The change committed: the database has the new price.
        let connection = try database.connect()
        defer { connection.close() }
        #expect(try connection.query("SELECT price::text FROM products WHERE id = 17").first?.string(0) == "9.99")
        return (report, try redis.command(["GET", "product:17"]).string, errors.withLock { $0 })
    }

    @Test func aChangeCommittedDuringTheWarmIsNeverOverwrittenWithTheOldValue() throws {
        let (report, stored, errors) = try racingWarm(retry: false)
        #expect(errors.isEmpty)
        // The warm's snapshot had the old price; the guard refused its writes: absent.
        #expect(stored == nil)
        let family = try #require(report.families.first)
        #expect(family.skipped > 0)
        #expect(family.incomplete)
        #expect(!family.retried)
    }

    @Test func theRefusedFamilyIsWarmedAgainFromASnapshotAfterTheChange() throws {
        let (report, stored, errors) = try racingWarm(retry: true)
        #expect(errors.isEmpty)
        let value = try JSONParser.parse(try #require(stored))
        #expect(value["price"]?.stringValue == "9.99")
        let family = try #require(report.families.first)
        #expect(family.retried)
        #expect(family.skipped > 0)
        #expect(!family.incomplete)
        #expect(family.keys == 500)
    }

    @Test func theGuardComparesTheEpochAtWriteTime() throws {
        // Without any race: an epoch bumped before the warm starts is read and matched.
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        try redis.command(["SET", unprefixed.epochKey(family: "stock"), 41])
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: ["stock"]))
        #expect(report.families.first?.skipped == 0)
        #expect(report.keys > 0)
        #expect(try redis.command(["GET", unprefixed.epochKey(family: "stock")]).int == 41)
    }
}
