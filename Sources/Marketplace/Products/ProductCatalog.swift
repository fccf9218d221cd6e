import Postgres
import Support

/// Reads products and categories from PostgreSQL, the truth (never from the cache).
public struct ProductCatalog {
    public let connection: PostgresConnection

    public init(_ connection: PostgresConnection) {
        self.connection = connection
    }

    /// Products matching `filter`, by id. An org or category filter that names nothing
    /// is bad input (65), not an empty list.
    public func list(_ filter: ProductFilter) throws -> [ProductSummary] {
        guard filter.limit >= 1 else { throw WWError.usage("--limit must be at least 1, got \(filter.limit)") }
        if let org = filter.organizationId { try AccessLookup.requireOrg(org, connection) }
        if let category = filter.categoryId { try requireCategory(category) }
        let rows = try connection.query("""
            SELECT id, organization_id, category_id, name, slug, status, price, currency, updated_at
            FROM products
            WHERE ($1::bigint IS NULL OR organization_id = $1)
              AND ($2::bigint IS NULL OR category_id = $2)
              AND ($3::text IS NULL OR status = $3)
            ORDER BY id
            LIMIT $4
            """, [filter.organizationId, filter.categoryId, filter.status?.rawValue, filter.limit])
        return try rows.map { row in
            ProductSummary(
                id: try row.requiredInt("id"), organizationId: try row.requiredInt("organization_id"),
                categoryId: try row.requiredInt("category_id"), name: try row.requiredString("name"),
                slug: try row.requiredString("slug"), status: try row.requiredString("status"),
                price: try row.requiredDecimal("price"), currency: try row.requiredString("currency"),
                updatedAt: try row.requiredIsoTimestamp("updated_at"))
        }
    }

    /// One product; with `withVariants`, its variants and their stock.
    public func show(_ productId: Int, withVariants: Bool) throws -> ProductDetail {
        let rows = try connection.query("""
            SELECT p.id, p.organization_id, o.name AS organization_name, p.category_id, c.name AS category_name,
                   p.name, p.slug, p.description, p.status, p.price, p.currency,
                   effective_commission_rate(p.id) AS commission_rate,
                   (SELECT count(*) FROM product_variants v WHERE v.product_id = p.id) AS variant_count,
                   p.created_at, p.updated_at
            FROM products p
            JOIN organizations o ON o.id = p.organization_id
            JOIN categories c ON c.id = p.category_id
            WHERE p.id = $1
            """, [productId])
        guard let row = rows.first else { throw WWError.dataError("no product \(productId)") }
        var detail = ProductDetail(
            id: try row.requiredInt("id"), organizationId: try row.requiredInt("organization_id"),
            organizationName: try row.requiredString("organization_name"),
            categoryId: try row.requiredInt("category_id"), categoryName: try row.requiredString("category_name"),
            name: try row.requiredString("name"), slug: try row.requiredString("slug"),
            description: try row.requiredString("description"), status: try row.requiredString("status"),
            price: try row.requiredDecimal("price"), currency: try row.requiredString("currency"),
            commissionRate: try row.requiredDecimal("commission_rate"),
            variantCount: try row.requiredInt("variant_count"),
            createdAt: try row.requiredIsoTimestamp("created_at"), updatedAt: try row.requiredIsoTimestamp("updated_at"),
            variants: nil)
        if withVariants { detail.variants = try variants(of: productId) }
        return detail
    }

    public func variants(of productId: Int) throws -> [ProductVariantInfo] {
        try connection.query(
            "SELECT id, sku, name, price, stock FROM product_variants WHERE product_id = $1 ORDER BY id", [productId]
        ).map { row in
            ProductVariantInfo(
                id: try row.requiredInt("id"), sku: try row.requiredString("sku"), name: try row.requiredString("name"),
                price: try row.requiredDecimal("price"), stock: try row.requiredInt("stock"))
        }
    }

    /// The category tree: roots in position order, each with its children. A category
    /// caught in a parent cycle (which the schema does not forbid beyond one level) is
    /// unreachable from a root and is left out rather than looping.
    public func categoryTree() throws -> [CategoryNode] {
        let rows = try connection.query("""
            SELECT c.id, c.parent_id, c.name, c.slug, c.position, coalesce(p.n, 0) AS product_count
            FROM categories c
            LEFT JOIN (SELECT category_id, count(*) AS n FROM products GROUP BY category_id) p ON p.category_id = c.id
            ORDER BY c.position, c.id
            """)
        var nodes: [Int: CategoryNode] = [:]
        var children: [Int: [Int]] = [:]
        var roots: [Int] = []
        for row in rows {
            let node = CategoryNode(
                id: try row.requiredInt("id"), parentId: row.int("parent_id"), name: try row.requiredString("name"),
                slug: try row.requiredString("slug"), position: try row.requiredInt("position"),
                productCount: try row.requiredInt("product_count"), children: [])
            nodes[node.id] = node
            if let parent = node.parentId { children[parent, default: []].append(node.id) } else { roots.append(node.id) }
        }
        var visited: Set<Int> = []
        func build(_ id: Int) -> CategoryNode? {
            guard visited.insert(id).inserted, var node = nodes[id] else { return nil }
            node.children = (children[id] ?? []).compactMap(build)
            return node
        }
        return roots.compactMap(build)
    }

    private func requireCategory(_ id: Int) throws {
        if try connection.query("SELECT 1 FROM categories WHERE id = $1", [id]).isEmpty {
            throw WWError.dataError("no category \(id)")
        }
    }
}
