import Foundation
import Testing
import CacheOps
import Keyspace
import Postgres
import Redis
import Support
import TestSupport

/// Two categories that are each other's parent (the schema refuses only a category that is
/// its own parent): the commission warm's walk up the tree ends, and its rates are still
/// `effective_commission_rate()`'s. Own database (the test changes data) and redis-server
/// (port 6475); every PostgreSQL statement is limited to 20 seconds, so a walk that never
/// ends fails the test instead of hanging it.
@Suite(.serialized) final class WarmCommissionCycleTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6475)
        redis = try RedisConnection(server.url())
    }

    @Test func aCategoryParentCycleEndsAndAgreesWithTheFunction() throws {
        let database = try WarmFixture.seededDatabase(prefix: "warmcycle")
        defer { database.drop() }
        let postgres = try database.connect(statementTimeoutSeconds: 20)
        defer { postgres.close() }
        let product = try #require(try postgres.query(
            "SELECT p.id FROM products p WHERE EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id) ORDER BY p.id LIMIT 1"
        ).first?.int64(0))
        try postgres.execute("""
            INSERT INTO categories (id, parent_id, name, slug)
            SELECT max(id) + 1, NULL, 'Cycle A', 'cycle-a' FROM categories
            """)
        try postgres.execute("""
            INSERT INTO categories (id, parent_id, name, slug)
            SELECT max(id) + 1, max(id), 'Cycle B', 'cycle-b' FROM categories
            """)
        let b = try #require(try postgres.query("SELECT id FROM categories WHERE slug = 'cycle-b'").first?.int64(0))
        let a = b - 1
        try postgres.execute("UPDATE categories SET parent_id = $1 WHERE id = $2", [b, a])
        try postgres.execute("UPDATE products SET category_id = $1 WHERE id = $2", [a, product])
        try postgres.execute("INSERT INTO commission_rules (scope, category_id, rate) VALUES ('category', $1, 0.0300)", [b])

        try redis.command(["FLUSHALL"])
        var options = WarmOptions(families: ["commission"], scope: .product(product))
        options.referenceTime = warmReferenceTime
        let report = try CacheWarmer(postgres: postgres, redis: redis, keyspace: keyspace("")).run(options)
        #expect(report.families.first?.refused == 0)

        let stored = try storedKeys(redis).filter { $0.key.hasPrefix("commission:") }
        let expected = try WarmOracle.expected("commission", postgres).filter { $0.key.hasPrefix("commission:\(product):") }
        #expect(!expected.isEmpty)
        #expect(Set(stored.keys) == Set(expected.keys))
        for (key, want) in expected {
            #expect(stored[key]?.value == want.value, "\(key)")
            #expect(stored[key]?.value.contains(#""rate":"0.0300""#) == true, "\(key): not the rule one level up the cycle")
        }
    }
}
