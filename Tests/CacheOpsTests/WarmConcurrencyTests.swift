import Foundation
import Testing
import Synchronization
import CacheOps
import Keyspace
import Postgres
import Redis
import Support
import TestSupport

/// `cache warm product` racing `products set-price 17 9.99` (issues 5 and 23): afterwards
/// `product:17` holds 9.99 or is absent, never the old price, and only that key pays for
/// the race. The change is made exactly as a wwctl mutation makes it — UPDATE and commit
/// in PostgreSQL, then the registry's plan applied by `PlanExecutor` (epochs bumped, then
/// keys deleted) — at the worst moments: after the warm has read the change log and taken
/// its snapshot (the old price), before it writes; or after it wrote the key. Each guard
/// is tried. Own database (the test changes data) and redis-server (port 6474).
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

    private struct Race {
        var report: WarmReport
        var stored: String?
        var errors: [String]
        /// The product keys Redis holds, and their bytes (keys and values).
        var productKeys: Set<String>
        var productBytes: Int
    }

    /// A warm of `families` whose `trigger` makes the price change once (given the options
    /// to hook into).
    private func race(
        families: [String] = ["product"], rounds: Int, guardMode: WarmGuard,
        hook: (inout WarmOptions, @escaping @Sendable () -> Void) -> Void
    ) throws -> Race {
        let database = try WarmFixture.seededDatabase(prefix: "warmrace")
        defer { database.drop() }
        try redis.command(["FLUSHALL"])
        let url = server.url()
        let errors = Mutex<[String]>([])
        let fired = Mutex(false)
        var options = WarmOptions(families: families)
        options.rewarmRounds = rounds
        options.guardMode = guardMode
        hook(&options) {
            guard fired.withLock({ done in defer { done = true }; return !done }) else { return }
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
        #expect(fired.withLock { $0 }, "the change was never made: the test proves nothing")
        let products = try storedKeys(redis).filter { $0.key.wholeMatch(of: /product:\d+/) != nil }
        return Race(
            report: report, stored: try redis.command(["GET", "product:17"]).string, errors: errors.withLock { $0 },
            productKeys: Set(products.keys), productBytes: products.reduce(0) { $0 + $1.key.utf8.count + $1.value.value.utf8.count })
    }

    /// The change right after the product family's snapshot, before any of its writes.
    private func afterSnapshot(_ options: inout WarmOptions, _ change: @escaping @Sendable () -> Void) {
        options.afterSnapshot = { family in if family == "product" { change() } }
    }

    @Test(arguments: WarmGuard.allCases)
    func aChangeCommittedDuringTheWarmIsNeverOverwrittenWithTheOldValue(_ guardMode: WarmGuard) throws {
        let race = try race(rounds: 0, guardMode: guardMode, hook: afterSnapshot)
        #expect(race.errors.isEmpty)
        // The warm's snapshot had the old price; the guard refused that write: absent.
        #expect(race.stored == nil)
        let family = try #require(race.report.families.first)
        #expect(family.refused >= 1)
        #expect(family.unwarmed == family.refused)
        #expect(family.incomplete && race.report.incomplete)
        #expect(family.rounds == 0)
        // What the report says is what Redis holds.
        #expect(family.keys == race.productKeys.count)
        #expect(family.keys == 500 - family.refused)
    }

    @Test func theChangeLogRefusesExactlyTheKeysTheChangeTouched() throws {
        let race = try race(rounds: 0, guardMode: .changeLog, hook: afterSnapshot)
        let family = try #require(race.report.families.first)
        // One key of the family was named by the change; the 499 others are all there.
        #expect(family.refused == 1)
        #expect(family.written == 499 && family.keys == 499)
        #expect(race.productKeys == Set((1...500).filter { $0 != 17 }.map { "product:\($0)" }))
        // Refused keys are neither written nor counted in the bytes.
        #expect(family.bytes == race.productBytes)
    }

    @Test(arguments: WarmGuard.allCases)
    func theRefusedKeyIsReadAgainFromASnapshotAfterTheChange(_ guardMode: WarmGuard) throws {
        let race = try race(rounds: 3, guardMode: guardMode, hook: afterSnapshot)
        #expect(race.errors.isEmpty)
        let value = try JSONParser.parse(try #require(race.stored))
        #expect(value["price"]?.stringValue == "9.99")
        let family = try #require(race.report.families.first)
        #expect(family.rounds == 1)
        #expect(family.refused >= 1 && family.rewarmed == family.refused)
        #expect(family.unwarmed == 0 && !family.incomplete)
        #expect(family.keys == 500 && race.productKeys.count == 500)
        #expect(family.written == 500)
    }

    @Test func aKeyAChangeDeletedAfterTheWarmWroteItIsCountedAndWrittenAgain() throws {
        // One writer: when it has answered the product pass's last batch, every product key
        // is written; the change then deletes product:17 behind the warm's back.
        let race = try race(families: ["product", "stock"], rounds: 3, guardMode: .changeLog) { options, change in
            options.writers = 1
            options.progress = { step in if step.familiesDone >= 1 { change() } }
        }
        #expect(race.errors.isEmpty)
        let product = try #require(race.report.families.first { $0.name == "product" })
        #expect(product.refused == 0)
        #expect(product.invalidated == 1)
        #expect(product.rewarmed == 1 && product.rounds == 1)
        #expect(product.written == 501 && product.keys == 500)
        let value = try JSONParser.parse(try #require(race.stored))
        #expect(value["price"]?.stringValue == "9.99")
        // The change deleted the product's variants' stock keys too: written again.
        let stock = try #require(race.report.families.first { $0.name == "stock" })
        #expect(stock.keys == (try storedKeys(redis).keys.filter { $0.hasPrefix("stock:") }.count))
    }

    @Test func aKeyDeletedAfterItsLastPassIsReportedNotCounted() throws {
        // No re-warm: the deleted key stays deleted, and the report says so.
        let race = try race(families: ["product", "stock"], rounds: 0, guardMode: .changeLog) { options, change in
            options.writers = 1
            options.progress = { step in if step.familiesDone >= 1 { change() } }
        }
        let product = try #require(race.report.families.first { $0.name == "product" })
        #expect(product.invalidated == 1 && product.written == 500 && product.keys == 499)
        #expect(!product.incomplete)
        #expect(race.stored == nil && race.productKeys.count == 499)
    }

    @Test func changesRecordedBeforeTheSnapshotRefuseNothing() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let epochs = InvalidationEpochs(redis: redis, keyspace: unprefixed)
        try epochs.bump(keys: (1...50).map { Array("stock:\($0)".utf8) })
        try epochs.bump(ChangeRecord.all(["stock"], in: unprefixed))
        for guardMode in WarmGuard.allCases {
            var options = WarmOptions(families: ["stock"])
            options.guardMode = guardMode
            let report = try warm(database, redisURL: server.url(), options)
            #expect(report.families.first?.refused == 0)
            #expect(report.keys > 0 && report.keys == report.families.first?.written)
        }
        #expect(try ChangeLog(redis: redis, keyspace: unprefixed).position().count == 2)
    }

    @Test func theSlotGuardCreatesTheFieldsItReadsAndChangesBumpThemFromThenOn() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let epochs = InvalidationEpochs(redis: redis, keyspace: unprefixed)
        let key = Array("stock:7".utf8)
        // No warm guarded per slot yet: a change leaves the slots alone.
        try epochs.bump(keys: [key])
        #expect(try epochs.epoch(of: key, family: "stock") == nil)
        var options = WarmOptions(families: ["stock"])
        options.guardMode = .slotEpochs
        try warm(database, redisURL: server.url(), options)
        #expect(try epochs.epoch(of: key, family: "stock") == 0)
        try epochs.bump(keys: [key])
        #expect(try epochs.epoch(of: key, family: "stock") == 1)
        try epochs.bump(ChangeRecord.all(["stock"], in: unprefixed))
        #expect(try epochs.epoch(of: key, family: "stock") == 2)
        // Another family's field in the same hash was never created, so never bumped.
        #expect(try epochs.epoch(of: key, family: "cart") == nil)
    }
}
