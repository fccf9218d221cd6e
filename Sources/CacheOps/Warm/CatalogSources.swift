import Keyspace
import Postgres
import Support

/// `product:{productId}` → Product without variants (see `ProductShape`), for every
/// product whatever its status (the app's getProductById returns drafts and archived
/// products too).
final class ProductSource: WarmSource {
    static let family = KeyFamily.product
    static let scopes: Set<WarmScope.Kind> = [.org, .product]
    static let columns = ProductShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        "SELECT \(ProductShape.columns("p")) FROM products p WHERE \(WarmSQL.filter(scope, WarmSQL.productScope)) ORDER BY p.id"
    }

    private let renderer: KeyRenderer
    private let ttl = ProductSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(row.raw(0)) } },
            value: { out in try ProductShape.append(row, at: 0, to: &out) })
    }
}

/// `product:{productId}:with-variants` → Product with `variants: [ProductVariant]` (see
/// `VariantShape`) by variant id, for every product (`variants: []` when it has none).
final class ProductVariantsSource: WarmSource {
    static let family = KeyFamily.productVariants
    static let scopes: Set<WarmScope.Kind> = [.org, .product]
    static let columns = ProductShape.columnCount + VariantShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT \(ProductShape.columns("p")), \(VariantShape.columns("v"))
        FROM products p LEFT JOIN product_variants v ON v.product_id = p.id
        WHERE \(WarmSQL.filter(scope, WarmSQL.productScope))
        ORDER BY p.id, v.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = ProductVariantsSource.fixedTTL
    private var group = RowGroup(columns: [0])
    /// The open product's own fields (written once, from its first row).
    private var product: [UInt8] = []

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
            product.removeAll(keepingCapacity: true)
            try ProductShape.appendFields(row, at: 0, to: &product)
        }
        guard !row.isNull(ProductShape.columnCount) else { return }
        group.beginItem()
        group.value.append(UInt8(ascii: "{"))
        try VariantShape.appendFields(row, at: ProductShape.columnCount, to: &group.value)
        group.value.append(UInt8(ascii: "}"))
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl, head: product, field: "variants")
    }
}

/// `org:{orgId}:products` → the org's listed (active) products by id: `[Product]`, the
/// storefront's list of a vendor. Every org has a key (`[]` when nothing is listed).
final class OrgProductsSource: WarmSource {
    static let family = KeyFamily.orgProducts
    static let scopes: Set<WarmScope.Kind> = [.org]
    static let columns = 1 + ProductShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT o.id, \(ProductShape.columns("p"))
        FROM organizations o LEFT JOIN products p ON p.organization_id = o.id AND p.status = 'active'
        WHERE \(WarmSQL.filter(scope, [.org: "o.id"]))
        ORDER BY o.id, p.id
        """
    }

    private let list: ProductList

    init(prefix: String) throws {
        list = ProductList(renderer: try KeyRenderer(Self.family, prefix: prefix), ttl: Self.fixedTTL)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws { try list.consume(row, &sink) }
    func finish(_ sink: inout WarmSink) throws { try list.finish(&sink) }
}

/// `category:{categoryId}:products` → the listed (active) products filed directly in the
/// category, by id: `[Product]`. Products sit in leaf categories, so a parent category's
/// list is `[]`. Every category has a key. Only a warm without scope writes it.
final class CategoryProductsSource: WarmSource {
    static let family = KeyFamily.categoryProducts
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = 1 + ProductShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        SELECT c.id, \(ProductShape.columns("p"))
        FROM categories c LEFT JOIN products p ON p.category_id = c.id AND p.status = 'active'
        ORDER BY c.id, p.id
        """
    }

    private let list: ProductList

    init(prefix: String) throws {
        list = ProductList(renderer: try KeyRenderer(Self.family, prefix: prefix), ttl: Self.fixedTTL)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws { try list.consume(row, &sink) }
    func finish(_ sink: inout WarmSink) throws { try list.finish(&sink) }
}

/// A `[Product]` value per group of rows `(group id, product columns…)`, the product
/// columns NULL for a group without products.
final class ProductList {
    private let renderer: KeyRenderer
    private let ttl: Int
    private var group = RowGroup(columns: [0])

    init(renderer: KeyRenderer, ttl: Int) {
        self.renderer = renderer
        self.ttl = ttl
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
        }
        guard !row.isNull(1) else { return }
        group.beginItem()
        try ProductShape.append(row, at: 1, to: &group.value)
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl)
    }
}

/// `categories:tree` → the whole tree: the root categories, each `{…Category, children:
/// [...]}` (see `CategoryShape`) with its children nested the same way, siblings ordered by position then id. One key; only a warm without scope
/// writes it.
final class CategoryTreeSource: WarmSource {
    static let family = KeyFamily.categoryTree
    static let scopes: Set<WarmScope.Kind> = []
    static let columns = CategoryShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        "SELECT \(CategoryShape.columns("c")) FROM categories c ORDER BY c.position, c.id"
    }

    private struct Node {
        let id: Int64
        let parent: Int64?
        /// `"id":…,"parentId":…,…,"updatedAt":…` (no braces, no children).
        let fields: [UInt8]
    }

    private let renderer: KeyRenderer
    private let ttl = CategoryTreeSource.fixedTTL
    /// Every category, in sibling order (the query sorts by position, id).
    private var nodes: [Node] = []

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        var fields: [UInt8] = []
        try CategoryShape.appendFields(row, at: 0, to: &fields)
        nodes.append(Node(id: try row.int64(0), parent: row.isNull(1) ? nil : try row.int64(1), fields: fields))
    }

    func finish(_ sink: inout WarmSink) throws {
        var children: [Int64: [Int]] = [:]
        var roots: [Int] = []
        for (index, node) in nodes.enumerated() {
            if let parent = node.parent { children[parent, default: []].append(index) } else { roots.append(index) }
        }
        var value: [UInt8] = []
        // Depth-first from the roots: categories caught in a parent cycle hang from no root
        // and are left out, as any walk of the tree from its roots leaves them out.
        func write(_ indices: [Int], depth: Int) throws {
            guard depth < 64 else { throw WWError.dataError("warm category-tree: categories nest deeper than 64 levels") }
            value.append(UInt8(ascii: "["))
            for (position, index) in indices.enumerated() {
                if position > 0 { value.append(UInt8(ascii: ",")) }
                value.append(UInt8(ascii: "{"))
                value.append(contentsOf: nodes[index].fields)
                value.append(#","children":"#)
                try write(children[nodes[index].id] ?? [], depth: depth + 1)
                value.append(UInt8(ascii: "}"))
            }
            value.append(UInt8(ascii: "]"))
        }
        try write(roots, depth: 0)
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, _ in } },
            value: { out in out.append(contentsOf: value) })
        nodes = []
    }
}

/// `stock:{variantId}` → the variant's stock level, a bare integer (`42`), for every variant.
final class StockSource: WarmSource {
    static let family = KeyFamily.stock
    static let scopes: Set<WarmScope.Kind> = [.org, .product]
    static let columns = 2

    static func query(_ scope: WarmScope.Kind) -> String {
        // An org reaches its variants through their products; other scopes read the variants alone.
        """
        SELECT v.id, v.stock FROM product_variants v\(scope == .org ? " JOIN products p ON p.id = v.product_id" : "")
        WHERE \(WarmSQL.filter(scope, [.org: "p.organization_id", .product: "v.product_id"])) ORDER BY v.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = StockSource.fixedTTL

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { _, out in out.append(row.raw(0)) } },
            value: { out in out.append(row.raw(1)) })
    }
}
