import Foundation
import Testing
import CacheOps
import Keyspace
import Postgres
import Redis
import Support
import TestSupport

/// Scopes, --only-missing, --ttl-jitter, --dry-run and the usage/data errors, on a
/// redis-server of its own (port 6472) and the shared tiny seed.
@Suite(.serialized) final class WarmScopeTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6472)
        redis = try RedisConnection(server.url())
    }

    /// key → value over every family, from the oracle.
    private func oracle(_ connection: PostgresConnection) throws -> [String: String] {
        var all: [String: String] = [:]
        for family in warmableFamilies where family != "category-tree" {
            for (key, want) in try WarmOracle.expected(family, connection) { all[key] = want.value }
        }
        return all
    }

    private func ints(_ connection: PostgresConnection, _ sql: String, _ id: Int) throws -> Set<String> {
        Set(try connection.query(sql, [id]).map { String(try $0.requiredInt(0)) })
    }

    /// Warms `scope` alone and checks the keys are exactly the oracle's keys that `belongs`
    /// accepts, with the oracle's values.
    @discardableResult
    private func check(_ scope: WarmScope, belongs: (ParsedKey, String) -> Bool) throws -> WarmReport {
        let database = try WarmFixture.database()
        let connection = try database.connect()
        defer { connection.close() }
        let expected = try oracle(connection).filter { belongs(unprefixed.parse($0.key), $0.key) }
        try redis.command(["FLUSHALL"])
        let report = try warm(database, redisURL: server.url(), WarmOptions(scope: scope))
        let stored = try storedKeys(redis)
        #expect(!expected.isEmpty)
        #expect(Set(stored.keys) == Set(expected.keys), "\(scope)")
        for (key, value) in expected { #expect(stored[key]?.value == value, "\(key)") }
        #expect(report.keys == expected.count)
        return report
    }

    @Test func userScopeWarmsTheUsersPermsOrgsAndCart() throws {
        let connection = try WarmFixture.database().connect()
        defer { connection.close() }
        // A member of two orgs who also has a cart, if the seed has one; else a member of two orgs.
        let user = try connection.query("""
            SELECT ou.user_id FROM organization_users ou GROUP BY ou.user_id HAVING count(*) >= 2
            ORDER BY EXISTS (SELECT 1 FROM carts c WHERE c.user_id = ou.user_id) DESC, ou.user_id LIMIT 1
            """).first?.int(0) ?? 0
        let text = String(user)
        let report = try check(.user(Int64(user))) { parsed, _ in
            guard case .family(let family, let params) = parsed else { return false }
            let values = Dictionary(uniqueKeysWithValues: params.map { ($0.name, $0.value) })
            switch family.name {
            case "perm", "user-orgs", "cart": return values["userId"] == text
            default: return false
            }
        }
        #expect(report.families.map(\.name) == ["perm", "user-orgs", "cart"])
        #expect(report.outOfScope.contains("org") && report.outOfScope.contains("category-tree"))
    }

    @Test func orgScopeWarmsWhatConcernsTheOrgAndItsMembers() throws {
        let connection = try WarmFixture.database().connect()
        defer { connection.close() }
        let org = 2
        let members = try ints(connection, "SELECT user_id FROM organization_users WHERE organization_id = $1", org)
        let products = try ints(connection, "SELECT id FROM products WHERE organization_id = $1", org)
        let variants = try ints(connection, """
            SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.organization_id = $1
            """, org)
        #expect(members.count >= 2)
        let o = String(org)
        try check(.org(Int64(org))) { parsed, _ in
            guard case .family(let family, let params) = parsed else { return false }
            let v = Dictionary(uniqueKeysWithValues: params.map { ($0.name, $0.value) })
            switch family.name {
            case "perm": return v["orgId"] == o && members.contains(v["userId"] ?? "")
            case "user-orgs": return members.contains(v["userId"] ?? "")
            case "org", "org-members", "org-stats", "org-products", "order-vendor-items", "vendor-earnings":
                return v["orgId"] == o
            case "product", "product-variants", "commission": return products.contains(v["productId"] ?? "")
            case "stock": return variants.contains(v["variantId"] ?? "")
            default: return false
            }
        }
    }

    @Test func productScopeWarmsItsKeysCommissionAndVariantsStock() throws {
        let connection = try WarmFixture.database().connect()
        defer { connection.close() }
        // A product with variants at more than one price.
        let product = try connection.query("""
            SELECT product_id FROM product_variants GROUP BY product_id HAVING count(DISTINCT price) > 1
            ORDER BY product_id LIMIT 1
            """).first?.int(0) ?? 0
        let variants = try ints(connection, "SELECT id FROM product_variants WHERE product_id = $1", product)
        let p = String(product)
        let report = try check(.product(Int64(product))) { parsed, _ in
            guard case .family(let family, let params) = parsed else { return false }
            let v = Dictionary(uniqueKeysWithValues: params.map { ($0.name, $0.value) })
            switch family.name {
            case "product", "product-variants", "commission": return v["productId"] == p
            case "stock": return variants.contains(v["variantId"] ?? "")
            default: return false
            }
        }
        #expect(report.families.first { $0.name == "commission" }.map { $0.keys >= 2 } == true)
    }

    @Test func namedFamiliesNarrowTheScope() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: ["org-members", "org"], scope: .org(3)))
        #expect(report.families.map(\.name) == ["org", "org-members"])
        #expect(Set(try storedKeys(redis).keys) == ["org:3", "org:3:members"])
    }

    @Test func onlyMissingLeavesExistingValues() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        try redis.command(["SET", "product:1", "sentinel"])
        try redis.command(["SET", "product:2", "other", "PX", 999_000])
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: ["product"], onlyMissing: true))
        let stored = try storedKeys(redis)
        #expect(stored["product:1"] == StoredKey(value: "sentinel", pttl: -1))
        #expect(stored["product:2"]?.value == "other")
        // Its own TTL too, not the family's 1800 s.
        #expect((900_000...999_000).contains(stored["product:2"]?.pttl ?? 0))
        #expect(stored["product:3"]?.value.hasPrefix(#"{"id":3,"#) == true)
        #expect(report.families.first?.present == 2)
        #expect(report.keys == stored.count - 2)

        // Without --only-missing the same warm overwrites them.
        try warm(database, redisURL: server.url(), WarmOptions(families: ["product"]))
        #expect(try redis.command(["GET", "product:1"]).string?.hasPrefix(#"{"id":1,"#) == true)
    }

    @Test func ttlJitterSpreadsTTLsWithinBounds() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        try warm(database, redisURL: server.url(), WarmOptions(families: ["perm"], ttlJitter: 0.5))
        let ttls = try storedKeys(redis).values.map(\.pttl)
        #expect(ttls.count > 1000)
        // [150 s, 300 s], less the moments since the write.
        #expect(ttls.allSatisfy { $0 <= 300_000 && $0 > 150_000 - 60_000 })
        // 1,760 uniform draws over 150 s: spread over most of the range, not one TTL.
        #expect((ttls.max() ?? 0) - (ttls.min() ?? 0) > 100_000)
        #expect(Set(ttls).count > 100)
    }

    @Test func dryRunWritesNothingAndCountsWhatItWouldWrite() throws {
        let database = try WarmFixture.database()
        let connection = try database.connect()
        defer { connection.close() }
        try redis.command(["FLUSHALL"])
        let report = try warm(database, redisURL: server.url(), WarmOptions(dryRun: true))
        #expect(try redis.command(["DBSIZE"]).int == 0)
        #expect(report.dryRun)
        #expect(report.families.map(\.name) == warmableFamilies)
        for family in report.families where family.name != "category-tree" {
            #expect(family.keys == (try WarmOracle.expected(family.name, connection)).count, "\(family.name)")
            #expect(family.bytes > 0)
        }
        // The same counts as a real warm.
        let real = try warm(database, redisURL: server.url(), WarmOptions())
        #expect(real.families.map(\.keys) == report.families.map(\.keys))
        #expect(real.families.map(\.bytes) == report.families.map(\.bytes))
        #expect(try redis.command(["DBSIZE"]).int == Int64(real.keys))
    }

    @Test func badRequestsAreUsageOrDataErrors() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        func failure(_ options: WarmOptions) -> (any CategorizedError)? {
            do {
                try warm(database, redisURL: server.url(), options)
                return nil
            } catch {
                return error as? any CategorizedError
            }
        }
        let unknown = failure(WarmOptions(families: ["prodcut"]))
        #expect(unknown?.category == .usage)
        #expect(unknown?.message == "unknown family 'prodcut', did you mean 'product'?")
        #expect(failure(WarmOptions(families: ["session"]))?.category == .usage)
        let outside = failure(WarmOptions(families: ["category-tree"], scope: .org(1)))
        #expect(outside?.category == .usage)
        #expect(outside?.message.contains("--org") == true)
        for jitter in [1.0, -0.1, .nan] {
            #expect(failure(WarmOptions(families: ["org"], ttlJitter: jitter))?.category == .usage)
        }
        let missing = failure(WarmOptions(scope: .org(99_999)))
        #expect(missing?.category == .dataError)
        #expect(missing?.message == "no org 99999")
        #expect(failure(WarmOptions(scope: .user(99_999)))?.message == "no user 99999")
        #expect(failure(WarmOptions(scope: .product(99_999)))?.message == "no product 99999")
        // None of them wrote anything (not even a lock).
        #expect(try redis.command(["DBSIZE"]).int == 0)
    }
}
