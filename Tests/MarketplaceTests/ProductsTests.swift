import Foundation
import Testing
import CacheOps
import Keyspace
import Marketplace
import Postgres
import Redis
import Support
import TestSupport

/// Product changes against a scratch database (tiny seed) and a redis-server of the suite's
/// own (port 6495): the sweeps walk the whole database, so nothing else may share it.
@Suite(.serialized) final class ProductsTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6495)
        redis = try RedisConnection(server.url(database: 0))
    }

    func changes(_ db: SeededScratch, prefix: String = "") -> ProductChanges {
        ProductChanges(postgres: db.connection, redis: redis, keyspace: keyspace(prefix), actor: "test-operator")
    }

    /// Keys of other products, other orgs and categories, and commission keys of this
    /// product at a price the database does not know (the sweep's job).
    func decoys(for p: ProductUnderTest, _ db: SeededScratch) throws -> Set<String> {
        let other = try ProductUnderTest.neighbour(of: p, db)
        return [
            "product:\(other.id)", "product:\(other.id):with-variants", "org:\(other.org):products",
            "category:\(other.category):products", "commission:\(other.id):\(appPriceText(p.price))", "stock:\(other.variant)",
            "org:\(p.org)", "org:\(p.org):members", "categories:tree", "product:\(p.id)0", "commission:\(p.id)0:1",
            "perm:1:\(p.org):product:read", "admin:top-products:10",
        ]
    }

    @Test func setPriceDeletesExactlyTheRegistryKeysAndSweepsOtherPrices() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            #expect(!p.cartUsers.isEmpty && !p.variants.isEmpty)
            let newPrice = p.price + ExactDecimal(coefficient: 1001, scale: 2)
            let expected = p.expectedKeys(prices: [p.price, newPrice])
            let oldOrderPrice = "commission:\(p.id):0.5"
            let decoys = try decoys(for: p, db)
            try redis.plant(expected.union(decoys).union([oldOrderPrice]))

            let report = try changes(db).setPrice(p.id, to: newPrice)

            #expect(try redis.whichExist(expected).isEmpty)
            #expect(try redis.whichExist([oldOrderPrice]).isEmpty)
            #expect(try redis.whichExist(decoys) == decoys)
            #expect(report.invalidation.deletedByName == expected.count)
            #expect(Set(report.invalidation.keys ?? []) == expected)
            #expect(report.invalidation.sweeps.map(\.pattern) == ["commission:\(p.id):*"])
            #expect(report.invalidation.sweeps.first?.deleted == 1)
            #expect(report.invalidation.skippedSweeps.isEmpty)
            #expect(report.change["before"]?["price"] == .string(p.price.description))
            #expect(report.change["after"]?["price"] == .string(newPrice.description))
            #expect(try db.decimal("SELECT price FROM products WHERE id = $1", [p.id]) == newPrice)
            let audit = try db.connection.query(
                "SELECT actor, command, target, details->'after'->>'price' AS price FROM audit_log WHERE id = $1", [report.auditId])[0]
            #expect(audit.string("actor") == "test-operator")
            #expect(audit.string("command") == "products set-price")
            #expect(audit.string("target") == "product:\(p.id)")
            #expect(audit.string("price") == newPrice.description)
        }
    }

    @Test func theEpochsAreBumpedSoAConcurrentWarmCannotWriteTheOldPriceBack() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let log = ChangeLog(redis: redis, keyspace: unprefixed)
            let epochs = InvalidationEpochs(redis: redis, keyspace: unprefixed)
            let productKey = Array("product:\(p.id)".utf8)
            // A warm guarded per slot created the product's slot field (and only that one).
            try redis.command(["HSET", unprefixed.epochKey(slot: unprefixed.slot(of: productKey)), "product", 5])
            let before = try log.position()
            _ = try changes(db).setPrice(p.id, to: p.price + 1)
            #expect(try epochs.epoch(of: productKey, family: "product") == 6)
            let records = try #require(try log.records(since: before)).map(\.1)
            // The keys by name, then the sweep's selector, then what the sweep deleted.
            #expect(records.count == 3)
            let named = records[0].touches
            #expect(Set(named.map(\.family)).isSuperset(of: ["product", "commission", "stock"]))
            #expect(named.contains { touch in
                if case .keys(let keys) = touch.touch { return touch.family == "product" && keys.contains(productKey) }
                return false
            })
            #expect(records[1] == ChangeRecord([.init("commission", .selector([KeyParam("productId", String(p.id))]))]))
            #expect(records[2].touches.map(\.family) == ["commission"])
            if case .swept(let of, _) = records[2].touches[0].touch {
                #expect(of == before.count + 2)
            } else {
                Issue.record("no swept record: \(records[2])")
            }
        }
    }

    @Test func noSweepDeletesByNameAndLeavesOtherPricesListingTheSkippedSweep() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let newPrice = p.price + 2
            let expected = p.expectedKeys(prices: [p.price, newPrice])
            let otherPrice = "commission:\(p.id):0.5"
            try redis.plant(expected.union([otherPrice]))
            let report = try changes(db).setPrice(p.id, to: newPrice, runSweep: false)
            #expect(try redis.whichExist(expected).isEmpty)
            #expect(try redis.whichExist([otherPrice]) == [otherPrice])
            #expect(report.invalidation.sweeps.isEmpty)
            #expect(report.invalidation.skippedSweeps == ["commission:\(p.id):*"])
        }
    }

    @Test func setStatusInvalidatesTheProductAtItsCurrentPrice() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let status = try db.connection.query("SELECT status FROM products WHERE id = $1", [p.id])[0].requiredString(0)
            let target: ProductStatus = status == "archived" ? .active : .archived
            let expected = p.expectedKeys(prices: [p.price])
            let decoys = try decoys(for: p, db)
            try redis.plant(expected.union(decoys))
            let report = try changes(db).setStatus(p.id, to: target)
            #expect(try redis.whichExist(expected).isEmpty)
            #expect(try redis.whichExist(decoys) == decoys)
            #expect(Set(report.invalidation.keys ?? []) == expected)
            #expect(try db.connection.query("SELECT status FROM products WHERE id = $1", [p.id])[0].string(0) == target.rawValue)
            #expect(report.auditId != nil)
        }
    }

    @Test func setCategoryInvalidatesTheOldAndTheNewCategoryOnly() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let categories = try db.ints("SELECT id FROM categories WHERE id <> $1 ORDER BY id LIMIT 2", [p.category])
            let (newCategory, untouched) = (categories[0], categories[1])
            let expected = p.expectedKeys(prices: [p.price], categories: [p.category, newCategory])
            try redis.plant(expected.union(["category:\(untouched):products", "commission:\(p.id):0.5"]))
            let report = try changes(db).setCategory(p.id, to: newCategory)
            #expect(try redis.whichExist(expected).isEmpty)
            #expect(try redis.whichExist(["category:\(untouched):products"]).count == 1)
            // The rate may change with the category: the sweep is not optional here.
            #expect(try redis.whichExist(["commission:\(p.id):0.5"]).isEmpty)
            #expect(report.invalidation.sweeps.count == 1)
            #expect(try db.int("SELECT category_id FROM products WHERE id = $1", [p.id]) == newCategory)
        }
    }

    @Test func setStockInvalidatesTheVariantsStockAndTheProductWithVariantsOnly() throws {
        try SeededScratch.with(prefix: "products") { db in
            let variant = try db.int("SELECT min(id) FROM product_variants WHERE product_id IN (SELECT product_id FROM product_variants GROUP BY product_id HAVING count(*) > 1)")
            let product = try db.int("SELECT product_id FROM product_variants WHERE id = $1", [variant])
            let sibling = try db.int("SELECT max(id) FROM product_variants WHERE product_id = $1", [product])
            let expected: Set<String> = ["stock:\(variant)", "product:\(product):with-variants"]
            let kept: Set<String> = ["stock:\(sibling)", "product:\(product)", "stock:\(variant)0", "product:\(product + 1):with-variants"]
            try redis.plant(expected.union(kept))
            let report = try changes(db).setStock(variant, to: 4242)
            #expect(try redis.whichExist(expected).isEmpty)
            #expect(try redis.whichExist(kept) == kept)
            #expect(report.invalidation.sweeps.isEmpty)
            #expect(report.invalidation.deletedByName == 2)
            #expect(try db.int("SELECT stock FROM product_variants WHERE id = $1", [variant]) == 4242)
            #expect(report.target == "variant:\(variant)")
        }
    }

    @Test func refusedPricesChangeNothingInTheDatabaseOrRedis() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let keys = p.expectedKeys(prices: [p.price]).union(["commission:\(p.id):0.5"])
            try redis.plant(keys)
            let position = try ChangeLog(redis: redis, keyspace: unprefixed).position()
            let audits = try db.int("SELECT count(*) FROM audit_log")

            for text in ["-1", "1.999", "1e400", "abc", "", "+5", ".5", "1,00", " 5", "NaN", "Infinity", "0x10"] {
                #expect(thrownCategory { try AmountInput.price(text) } == .usage, "\(text)")
            }
            for text in ["0", "0.00", "1000000000000", "99999999999999999999999999999999999999999"] {
                #expect(thrownCategory { try AmountInput.price(text) } == .dataError, "\(text)")
            }
            // The service refuses what the parser would, whoever calls it.
            for value in [ExactDecimal.zero, ExactDecimal(-1), ExactDecimal(coefficient: 1999, scale: 3), AmountInput.maximum + 1] {
                #expect(throws: WWError.dataError("price \(value) is not a price: more than 0, at most 999999999999.99, two decimals")) {
                    try self.changes(db).setPrice(p.id, to: value)
                }
            }
            #expect(throws: WWError.dataError("no product 987654")) { try self.changes(db).setPrice(987654, to: 10) }
            #expect(throws: WWError.dataError("no variant 987654")) { try self.changes(db).setStock(987654, to: 1) }

            #expect(try db.decimal("SELECT price FROM products WHERE id = $1", [p.id]) == p.price)
            #expect(try db.int("SELECT count(*) FROM audit_log") == audits)
            #expect(try redis.whichExist(keys) == keys)
            #expect(try ChangeLog(redis: redis, keyspace: unprefixed).position() == position)
        }
    }

    @Test func acceptedAmountsAreExact() throws {
        #expect(try AmountInput.price("19.99") == ExactDecimal(coefficient: 1999, scale: 2))
        #expect(try AmountInput.price("20").description == "20.00")
        #expect(try AmountInput.price("0.01").description == "0.01")
        #expect(try AmountInput.price("999999999999.99") == AmountInput.maximum)
        #expect(try AmountInput.price("000000000000019.9").description == "19.90")
        #expect(try AmountInput.money("0", what: "--min-amount") == .zero)
        #expect(try AmountInput.quantity("0") == 0)
        #expect(try AmountInput.quantity("2147483647") == 2_147_483_647)
        #expect(thrownCategory { try AmountInput.quantity("-1") } == .usage)
        #expect(thrownCategory { try AmountInput.quantity("1.5") } == .usage)
        #expect(thrownCategory { try AmountInput.quantity("2147483648") } == .dataError)
    }

    @Test func aDryRunWritesNothingAndListsTheKeysThatExist() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let planted: Set<String> = ["product:\(p.id)", "org:\(p.org):products", "commission:\(p.id):0.5"]
            try redis.plant(planted)
            let audits = try db.int("SELECT count(*) FROM audit_log")
            let report = try changes(db).setPrice(p.id, to: p.price + 3, dryRun: true)
            #expect(report.dryRun)
            #expect(report.auditId == nil)
            #expect(Set(report.invalidation.keys ?? []) == ["product:\(p.id)", "org:\(p.org):products"])
            #expect(report.invalidation.sweeps.first?.matched == 1)
            #expect(report.invalidation.sweeps.first?.deleted == 0)
            #expect(try redis.whichExist(planted) == planted)
            #expect(try db.decimal("SELECT price FROM products WHERE id = $1", [p.id]) == p.price)
            #expect(try db.int("SELECT count(*) FROM audit_log") == audits)
            #expect(try redis.scanAll().filter { $0.hasPrefix("wwctl:") }.isEmpty)
        }
    }

    @Test func anUnchangedValueWritesNoAuditRowAndDeletesNothing() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            try redis.plant(["product:\(p.id)"])
            let audits = try db.int("SELECT count(*) FROM audit_log")
            let report = try changes(db).setPrice(p.id, to: p.price)
            #expect(report.change["unchanged"] == .bool(true))
            #expect(report.auditId == nil)
            #expect(try db.int("SELECT count(*) FROM audit_log") == audits)
            #expect(try redis.whichExist(["product:\(p.id)"]).count == 1)
        }
    }

    @Test func theKeyPrefixIsOnEveryKeyDeletedAndUnprefixedKeysStay() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let newPrice = p.price + 1
            let plain = p.expectedKeys(prices: [p.price, newPrice])
            let prefixed = Set(plain.map { "app:" + $0 })
            try redis.plant(plain.union(prefixed).union(["app:commission:\(p.id):0.5"]))
            let report = try changes(db, prefix: "app:").setPrice(p.id, to: newPrice)
            #expect(try redis.whichExist(prefixed).isEmpty)
            #expect(try redis.whichExist(["app:commission:\(p.id):0.5"]).isEmpty)
            #expect(try redis.whichExist(plain) == plain)
            #expect(report.invalidation.sweeps.map(\.pattern) == ["app:commission:\(p.id):*"])
        }
    }

    @Test func aRedisFailureAfterCommitSaysTheChangeIsCommitted() throws {
        try SeededScratch.with(prefix: "products") { db in
            let p = try ProductUnderTest.pick(db)
            let newPrice = p.price + 5
            server.stop()
            do {
                _ = try changes(db).setPrice(p.id, to: newPrice)
                Issue.record("no error with Redis gone")
            } catch let error as any CategorizedError {
                #expect(error.category == .unavailable)
                #expect(error.message.contains("committed"))
                // Which families may be stale, as orgs and perms say (one runner).
                #expect(error.message.contains("keys of org-stats, product, product-variants,"), "\(error.message)")
                #expect(error.message.hasSuffix("stock may be stale"), "\(error.message)")
            }
            #expect(try db.decimal("SELECT price FROM products WHERE id = $1", [p.id]) == newPrice)
            #expect(try db.int("SELECT count(*) FROM audit_log WHERE target = $1", ["product:\(p.id)"]) == 1)
        }
    }

    @Test func catalogReadsListShowAndTheCategoryTree() throws {
        try SeededScratch.with(prefix: "products") { db in
            let catalog = ProductCatalog(db.connection)
            let p = try ProductUnderTest.pick(db)
            let listed = try catalog.list(ProductFilter(organizationId: p.org, limit: 1000))
            #expect(listed.count == (try db.int("SELECT count(*) FROM products WHERE organization_id = $1", [p.org])))
            #expect(listed.allSatisfy { $0.organizationId == p.org })
            #expect(listed.map(\.id) == listed.map(\.id).sorted())
            let active = try catalog.list(ProductFilter(status: .active, limit: 3))
            #expect(active.count == 3 && active.allSatisfy { $0.status == "active" })
            #expect(throws: WWError.dataError("no org 987654")) { try catalog.list(ProductFilter(organizationId: 987654)) }

            let detail = try catalog.show(p.id, withVariants: true)
            #expect(detail.price == p.price)
            #expect(detail.variants?.map(\.id) == p.variants)
            #expect(detail.commissionRate == (try db.decimal("SELECT effective_commission_rate($1)", [p.id])))
            #expect(try catalog.show(p.id, withVariants: false).variants == nil)

            let tree = try catalog.categoryTree()
            func flatten(_ nodes: [CategoryNode]) -> [CategoryNode] { nodes.flatMap { [$0] + flatten($0.children) } }
            let all = flatten(tree)
            #expect(all.count == (try db.int("SELECT count(*) FROM categories")))
            #expect(tree.allSatisfy { $0.parentId == nil })
            #expect(all.reduce(0) { $0 + $1.productCount } == (try db.int("SELECT count(*) FROM products")))
            for node in all { #expect(node.children.allSatisfy { $0.parentId == node.id }) }
        }
    }
}
