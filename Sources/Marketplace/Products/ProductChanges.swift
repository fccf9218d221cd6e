import CacheOps
import Keyspace
import Postgres
import Redis
import Support

/// Changes to products, each in one transaction with its audit row, then exactly the cache
/// invalidation the keyspace registry names for it.
///
/// The facts the registry needs (org, category, variants, prices, carts) are read in the
/// change's transaction, with the product row locked, so they describe the committed change
/// and not a neighbour's. Invalidation runs after COMMIT through `PlanExecutor`: it bumps
/// the touched families' epochs first, so a `cache warm` that read PostgreSQL before the
/// commit cannot write the old value back afterwards, then deletes the enumerated keys by
/// name (pipelined UNLINK), then sweeps what cannot be enumerated: `commission:{p}:{price}`
/// at prices other than the ones read here (old order and cart prices).
///
/// Redis is connected before the transaction starts (the caller hands over the
/// connection), so an unreachable Redis refuses the change instead of leaving stale keys.
public struct ProductChanges {
    public let postgres: PostgresConnection
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace
    public let actor: String

    public init(postgres: PostgresConnection, redis: RedisConnection, keyspace: BoundKeyspace, actor: String) {
        self.postgres = postgres
        self.redis = redis
        self.keyspace = keyspace
        self.actor = actor
    }

    /// `products set-price`. `runSweep: false` skips the SCAN of the product's commission
    /// keys at other prices (see the command's help); the keys at the old and new price,
    /// and the variants' prices, are deleted by name either way.
    public func setPrice(_ productId: Int, to price: ExactDecimal, dryRun: Bool = false, runSweep: Bool = true) throws -> MutationReport {
        guard price > .zero, price <= AmountInput.maximum, price.significantScale <= 2 else {
            throw WWError.dataError("price \(price) is not a price: more than 0, at most \(AmountInput.maximum), two decimals")
        }
        let newPrice = price.rounded(scale: 2)
        return try mutate(command: "products set-price", target: .product(productId), dryRun: dryRun, runSweeps: runSweep) { tx, forUpdate in
            let facts = try ProductFacts.read(productId, on: tx, forUpdate: forUpdate)
            return Staged(
                change: Self.change(["price": .string(facts.price.description)], ["price": .string(newPrice.description)]),
                unchanged: facts.price == newPrice,
                dataChange: facts.dataChange(prices: [facts.price, newPrice]),
                write: { tx in
                    try tx.execute("UPDATE products SET price = $2, updated_at = now() WHERE id = $1", [productId, newPrice])
                })
        }
    }

    /// `products set-status`.
    public func setStatus(_ productId: Int, to status: ProductStatus, dryRun: Bool = false, runSweep: Bool = true) throws -> MutationReport {
        try mutate(command: "products set-status", target: .product(productId), dryRun: dryRun, runSweeps: runSweep) { tx, forUpdate in
            let facts = try ProductFacts.read(productId, on: tx, forUpdate: forUpdate)
            return Staged(
                change: Self.change(["status": .string(facts.status)], ["status": .string(status.rawValue)]),
                unchanged: facts.status == status.rawValue,
                dataChange: facts.dataChange(prices: [facts.price]),
                write: { tx in
                    try tx.execute("UPDATE products SET status = $2, updated_at = now() WHERE id = $1", [productId, status.rawValue])
                })
        }
    }

    /// `products set-category`: moves a product. Both categories' product lists are
    /// invalidated, and the commission sweep always runs: the rate may differ in the new
    /// category, so every cached commission of the product is stale.
    public func setCategory(_ productId: Int, to categoryId: Int, dryRun: Bool = false) throws -> MutationReport {
        try mutate(command: "products set-category", target: .product(productId), dryRun: dryRun, runSweeps: true) { tx, forUpdate in
            let facts = try ProductFacts.read(productId, on: tx, forUpdate: forUpdate)
            if try tx.query("SELECT 1 FROM categories WHERE id = $1", [categoryId]).isEmpty {
                throw WWError.dataError("no category \(categoryId)")
            }
            return Staged(
                change: Self.change(["categoryId": .number(facts.categoryId)], ["categoryId": .number(categoryId)]),
                unchanged: facts.categoryId == categoryId,
                dataChange: facts.dataChange(prices: [facts.price], categoryIds: [facts.categoryId, categoryId]),
                write: { tx in
                    try tx.execute("UPDATE products SET category_id = $2, updated_at = now() WHERE id = $1", [productId, categoryId])
                })
        }
    }

    /// `products set-stock`: sets a variant's stock level.
    public func setStock(_ variantId: Int, to quantity: Int, dryRun: Bool = false) throws -> MutationReport {
        guard quantity >= 0, quantity <= Int(Int32.max) else {
            throw WWError.dataError("quantity \(quantity) is not a stock level (0 to \(Int32.max))")
        }
        return try mutate(command: "products set-stock", target: .variant(variantId), dryRun: dryRun, runSweeps: true) { tx, forUpdate in
            let rows = try tx.query("SELECT product_id, stock FROM product_variants WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""), [variantId])
            guard let row = rows.first else { throw WWError.dataError("no variant \(variantId)") }
            let productId = try row.requiredInt("product_id")
            let stock = try row.requiredInt("stock")
            return Staged(
                change: Self.change(["stock": .number(stock)], ["stock": .number(quantity)], extra: [("productId", .number(productId))]),
                unchanged: stock == quantity,
                dataChange: .stock(variantId: variantId, productId: productId),
                write: { tx in
                    try tx.execute("UPDATE product_variants SET stock = $2, updated_at = now() WHERE id = $1", [variantId, quantity])
                })
        }
    }

    // MARK: the shared course of a change

    /// A change read and checked inside its transaction, not yet written.
    struct Staged {
        var change: JSONValue
        var unchanged: Bool
        var dataChange: DataChange
        var write: (PostgresConnection) throws -> Void
    }

    /// The change through `MutationRunner`, as orgs and perms run: the dry run reads
    /// without row locks and writes nothing; an unchanged value writes no row and no audit
    /// row and invalidates nothing (in a dry run too), which the report marks `unchanged`.
    private func mutate(
        command: String, target: AuditTarget, dryRun: Bool, runSweeps: Bool,
        _ stage: (_ tx: PostgresConnection, _ forUpdate: Bool) throws -> Staged
    ) throws -> MutationReport {
        let runner = MutationRunner(postgres: postgres, redis: redis, keyspace: keyspace, actor: actor)
        return try runner.run(
            command: command, options: AccessMutationOptions(dryRun: dryRun, listKeys: true), runSweeps: runSweeps
        ) { tx, dryRun in
            let staged = try stage(tx, !dryRun)
            if !dryRun && !staged.unchanged { try staged.write(tx) }
            return MutationRunner.Change(
                target: target, details: staged.change, dataChanges: [staged.dataChange], unchanged: staged.unchanged)
        }
    }

    static func change(_ before: [String: JSONValue], _ after: [String: JSONValue], extra: [(String, JSONValue)] = []) -> JSONValue {
        .object([
            ("before", .object(before.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
            ("after", .object(after.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
        ] + extra)
    }
}

/// What the registry needs to know about a product, read in the change's transaction.
struct ProductFacts {
    var productId: Int
    var organizationId: Int
    var categoryId: Int
    var price: ExactDecimal
    var status: String
    var variantIds: [Int]
    var variantPrices: [ExactDecimal]
    var cartUserIds: [Int]

    /// Reads the product's facts, locking its row FOR UPDATE when `forUpdate` (not in a
    /// dry run's read-only transaction); no product is bad input (65).
    static func read(_ productId: Int, on tx: PostgresConnection, forUpdate: Bool) throws -> ProductFacts {
        let rows = try tx.query(
            "SELECT organization_id, category_id, price, status FROM products WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""),
            [productId])
        guard let row = rows.first else { throw WWError.dataError("no product \(productId)") }
        let variants = try tx.query("SELECT id, price FROM product_variants WHERE product_id = $1 ORDER BY id", [productId])
        let carts = try tx.query("""
            SELECT DISTINCT c.user_id
            FROM cart_items ci JOIN carts c ON c.id = ci.cart_id JOIN product_variants v ON v.id = ci.variant_id
            WHERE v.product_id = $1
            ORDER BY c.user_id
            """, [productId])
        return ProductFacts(
            productId: productId, organizationId: try row.requiredInt("organization_id"),
            categoryId: try row.requiredInt("category_id"), price: try row.requiredDecimal("price"),
            status: try row.requiredString("status"),
            variantIds: try variants.map { try $0.requiredInt("id") },
            variantPrices: try variants.map { try $0.requiredDecimal("price") },
            cartUserIds: try carts.map { try $0.requiredInt("user_id") })
    }

    /// The registry's `.product` change: `prices` (the product's old and new) come first,
    /// then the variants' prices; `categoryIds` default to the product's own.
    func dataChange(prices: [ExactDecimal], categoryIds: [Int]? = nil) -> DataChange {
        .product(
            productId: productId, orgId: organizationId, categoryIds: categoryIds ?? [categoryId],
            prices: prices + variantPrices, variantIds: variantIds, cartUserIds: cartUserIds)
    }
}
