extension WarmDeclaration {
    /// `product:{productId}` → Product without variants (see `WarmModel.product`), for
    /// every product whatever its status (the app's getProductById returns drafts and
    /// archived products too).
    static let product = WarmDeclaration(
        .product, scopes: WarmSQL.productScope, key: [.column("p.id")], value: .object(WarmModel.product.fields("p")),
        from: { _ in "FROM products p" }, orderBy: ["p.id"])

    /// `product:{productId}:with-variants` → Product with `variants: [ProductVariant]`
    /// (see `WarmModel.variant`) by variant id, for every product (`variants: []` when it
    /// has none).
    static let productVariants = WarmDeclaration(
        .productVariants, scopes: WarmSQL.productScope, layout: .group, key: [.column("p.id")],
        value: .object(
            WarmModel.product.fields("p") + [.list("variants", .object(WarmModel.variant.fields("v")), presentWhen: "v.id")]),
        from: { _ in "FROM products p LEFT JOIN product_variants v ON v.product_id = p.id" }, orderBy: ["p.id", "v.id"])

    /// `org:{orgId}:products` → the org's listed (active) products by id: `[Product]`, the
    /// storefront's list of a vendor. Every org has a key (`[]` when nothing is listed).
    static let orgProducts = WarmDeclaration(
        .orgProducts, scopes: [.org: "o.id"], layout: .group, key: [.column("o.id")],
        value: .list(.object(WarmModel.product.fields("p")), presentWhen: "p.id"),
        from: { _ in "FROM organizations o LEFT JOIN products p ON p.organization_id = o.id AND p.status = 'active'" },
        orderBy: ["o.id", "p.id"])

    /// `category:{categoryId}:products` → the listed (active) products filed directly in
    /// the category, by id: `[Product]`. Products sit in leaf categories, so a parent
    /// category's list is `[]`. Every category has a key. Only a warm without scope writes it.
    static let categoryProducts = WarmDeclaration(
        .categoryProducts, layout: .group, key: [.column("c.id")],
        value: .list(.object(WarmModel.product.fields("p")), presentWhen: "p.id"),
        from: { _ in "FROM categories c LEFT JOIN products p ON p.category_id = c.id AND p.status = 'active'" },
        orderBy: ["c.id", "p.id"])

    /// How deep categories may nest: the tree's limit, which the commission rate's walk up
    /// the tree shares.
    static let maxCategoryDepth = 64

    /// `categories:tree` → the whole tree: the root categories, each `{…Category,
    /// children: [...]}` (see `WarmModel.category`) with its children nested the same
    /// way, siblings ordered by position then id. One key; only a warm without scope
    /// writes it.
    static let categoryTree = WarmDeclaration(
        .categoryTree, layout: .tree(id: "c.id", parent: "c.parent_id", children: "children", maxDepth: maxCategoryDepth),
        key: [],
        value: .object(WarmModel.category.fields("c")),
        from: { _ in "FROM categories c" }, orderBy: ["c.position", "c.id"])

    /// `stock:{variantId}` → the variant's stock level, a bare integer (`42`), for every
    /// variant.
    static let stock = WarmDeclaration(
        .stock, scopes: [.org: "p.organization_id", .product: "v.product_id"], key: [.column("v.id")],
        value: .column("v.stock", .integer),
        // An org reaches its variants through their products; other scopes read the variants alone.
        from: { scope in "FROM product_variants v" + scope.only(.org, " JOIN products p ON p.id = v.product_id") },
        orderBy: ["v.id"])
}
