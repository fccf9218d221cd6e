// The 27 families of docs/KEYSPACE.md, from the app's Redis integration plan. Canonical
// forms are the ones the app's code writes.

private let integer = ParameterKind.integer
private let periods = ParameterKind.enumeration(["today", "week", "month"])

extension KeyFamily {
    // MARK: authentication and authorization (L1)

    public static let perm = KeyFamily(
        name: "perm",
        template: KeyTemplate(
            .literal("perm"), .param("userId", integer), .param("orgId", integer),
            .param("resource", .token), .param("action", .token)),
        ttl: .fixed(seconds: 300), tier: .l1,
        valueShape: "true|false", valueKind: .boolean,
        warmability: .warmable(from: "memberships × permission catalog"),
        staleOn: [.membership, .rolePermission, .organization],
        summary: "Whether a user may perform an action on a resource in an org.")

    /// The token is a JWT: base64url parts and dots, never `:`.
    public static let jwtBlacklist = KeyFamily(
        name: "jwt-blacklist",
        template: KeyTemplate(.literal("jwt"), .literal("blacklist"), .param("token", .token)),
        ttl: .untilTokenExpiry, tier: .l1,
        valueShape: "integer (the userId)", valueKind: .integer,
        warmability: .notWarmable(reason: "written at logout; tokens are not stored"),
        staleOn: [],
        summary: "A logged-out JWT, refused until it expires.")

    public static let userOrgs = KeyFamily(
        name: "user-orgs",
        template: KeyTemplate(.literal("user"), .literal("orgs"), .param("userId", integer)),
        ttl: .fixed(seconds: 900), tier: .l1,
        valueShape: "JSON array of OrganizationUser with organization", valueKind: .array,
        warmability: .warmable(from: "memberships with their orgs"),
        staleOn: [.membership, .organization],
        summary: "The orgs a user belongs to, with the membership.")

    // MARK: organizations (L2)

    public static let org = KeyFamily(
        name: "org",
        template: KeyTemplate(.literal("org"), .param("orgId", integer)),
        ttl: .fixed(seconds: 1800), tier: .l2,
        valueShape: "JSON Organization", valueKind: .object,
        warmability: .warmable(from: "organizations"),
        staleOn: [.organization],
        summary: "An organization's profile.")

    public static let orgMembers = KeyFamily(
        name: "org-members",
        template: KeyTemplate(.literal("org"), .param("orgId", integer), .literal("members")),
        ttl: .fixed(seconds: 1800), tier: .l2,
        valueShape: "JSON array of OrganizationUser", valueKind: .array,
        warmability: .warmable(from: "memberships with their users"),
        staleOn: [.membership, .organization, .user],
        summary: "An organization's members and their roles.")

    public static let orgStats = KeyFamily(
        name: "org-stats",
        template: KeyTemplate(.literal("org"), .param("orgId", integer), .literal("stats")),
        ttl: .fixed(seconds: 1800), tier: .l2,
        valueShape: "JSON OrganizationStats", valueKind: .object,
        warmability: .warmable(from: "members, products and orders per org"),
        staleOn: [.membership, .organization, .product, .order],
        summary: "An organization's counts: members, products, orders.")

    /// The filter hash is taken as the rest of the key: the source does not say what
    /// `hashFilters` prints, and this way every key the `org:search:*` sweep reaches
    /// belongs to the family.
    public static let orgSearch = KeyFamily(
        name: "org-search",
        template: KeyTemplate(.literal("org"), .literal("search"), .param("filterHash", .rest)),
        ttl: .fixed(seconds: 600), tier: .l2,
        valueShape: "JSON array of Organization", valueKind: .array,
        warmability: .notWarmable(reason: "query-shaped"),
        staleOn: [.organization],
        summary: "Organization search results for one filter.")

    // MARK: dynamic attributes (L2)

    public static let attrEntity = KeyFamily(
        name: "attr-entity",
        template: KeyTemplate(.literal("attr"), .literal("entity"), .param("entityType", .token)),
        ttl: .fixed(seconds: 3600), tier: .l2,
        valueShape: "JSON array of Attribute", valueKind: .array,
        warmability: .warmable(from: "attribute definitions by entity type"),
        staleOn: [.attribute],
        summary: "The attribute definitions of one entity type.")

    public static let attr = KeyFamily(
        name: "attr",
        template: KeyTemplate(.literal("attr"), .param("attrId", integer)),
        ttl: .fixed(seconds: 3600), tier: .l2,
        valueShape: "JSON Attribute", valueKind: .object,
        warmability: .warmable(from: "attribute definitions"),
        staleOn: [.attribute],
        summary: "One attribute definition.")

    // MARK: products (L2)

    public static let product = KeyFamily(
        name: "product",
        template: KeyTemplate(.literal("product"), .param("productId", integer)),
        ttl: .fixed(seconds: 1800), tier: .l2,
        valueShape: "JSON Product (without variants)", valueKind: .object,
        warmability: .warmable(from: "products"),
        staleOn: [.product],
        summary: "A product without its variants.")

    public static let productVariants = KeyFamily(
        name: "product-variants",
        template: KeyTemplate(.literal("product"), .param("productId", integer), .literal("with-variants")),
        ttl: .fixed(seconds: 1800), tier: .l2,
        valueShape: "JSON Product with variants", valueKind: .object,
        warmability: .warmable(from: "products with their variants"),
        staleOn: [.product, .stock],
        summary: "A product with its variants and their stock.")

    public static let orgProducts = KeyFamily(
        name: "org-products",
        template: KeyTemplate(.literal("org"), .param("orgId", integer), .literal("products")),
        ttl: .fixed(seconds: 900), tier: .l2,
        valueShape: "JSON array of Product", valueKind: .array,
        warmability: .warmable(from: "products by org"),
        staleOn: [.product, .organization],
        summary: "An organization's products.")

    public static let categoryProducts = KeyFamily(
        name: "category-products",
        template: KeyTemplate(.literal("category"), .param("categoryId", integer), .literal("products")),
        ttl: .fixed(seconds: 900), tier: .l2,
        valueShape: "JSON array of Product", valueKind: .array,
        warmability: .warmable(from: "products by category"),
        staleOn: [.product, .category],
        summary: "A category's products.")

    public static let categoryTree = KeyFamily(
        name: "category-tree",
        template: KeyTemplate(.literal("categories"), .literal("tree")),
        ttl: .fixed(seconds: 3600), tier: .l2,
        valueShape: "JSON array of Category (nested)", valueKind: .array,
        warmability: .warmable(from: "categories"),
        staleOn: [.category],
        summary: "The whole category tree.")

    // MARK: orders and commission (L2)

    /// The price is a JS number in the app (`${price}`): `19.99`, `20`, `1000`.
    public static let commission = KeyFamily(
        name: "commission",
        template: KeyTemplate(.literal("commission"), .param("productId", integer), .param("price", .decimal)),
        ttl: .fixed(seconds: 600), tier: .l2,
        valueShape: "JSON CommissionBreakdown", valueKind: .object,
        warmability: .warmable(from: "current prices × commission rules"),
        staleOn: [.product, .commissionRule],
        summary: "The commission breakdown for a product at a price.")

    public static let orderVendorItems = KeyFamily(
        name: "order-vendor-items",
        template: KeyTemplate(
            .literal("order"), .param("orderId", integer), .literal("vendor"), .param("orgId", integer),
            .literal("items")),
        ttl: .fixed(seconds: 300), tier: .l2,
        valueShape: "JSON array of OrderItem", valueKind: .array,
        warmability: .warmable(from: "items of open orders by vendor"),
        staleOn: [.order, .refund],
        summary: "One vendor's items in an order.")

    // MARK: the one financial aggregate allowed (L3)

    public static let vendorEarnings = KeyFamily(
        name: "vendor-earnings",
        template: KeyTemplate(
            .literal("vendor"), .param("orgId", integer), .literal("earnings"), .param("month", .month)),
        ttl: .fixed(seconds: 3600), tier: .l3,
        valueShape: "JSON earnings summary (money as decimal strings)", valueKind: .object,
        warmability: .warmable(from: "order items of closed months"),
        staleOn: [.order, .refund],
        summary: "A vendor's aggregated earnings for a month (history, not a balance).")

    // MARK: shipping, refunds, carts, stock

    /// Origin and destination are tokens: with a `:` in either, the split is ambiguous.
    public static let shippingRates = KeyFamily(
        name: "shipping-rates",
        template: KeyTemplate(
            .literal("shipping"), .literal("rates"), .param("origin", .token), .param("destination", .token)),
        ttl: .fixed(seconds: 21600), tier: .l3,
        valueShape: "JSON array of Rate", valueKind: .array,
        warmability: .notWarmable(reason: "external shipping provider"),
        staleOn: [],
        summary: "Shipping rates between two places, from the provider.")

    public static let refunds = KeyFamily(
        name: "refunds",
        template: KeyTemplate(
            .literal("refunds"), .literal("org"), .param("orgId", integer), .param("filterHash", .rest)),
        ttl: .fixed(seconds: 300), tier: .l2,
        valueShape: "JSON array of Refund", valueKind: .array,
        warmability: .notWarmable(reason: "query-shaped"),
        staleOn: [.refund, .organization],
        summary: "An organization's refund history for one filter.")

    public static let cart = KeyFamily(
        name: "cart",
        template: KeyTemplate(.literal("cart"), .param("userId", integer)),
        ttl: .fixed(seconds: 600), tier: .l1,
        valueShape: "JSON Cart", valueKind: .object,
        warmability: .warmable(from: "carts"),
        staleOn: [.cart, .product],
        summary: "A user's cart.")

    public static let stock = KeyFamily(
        name: "stock",
        template: KeyTemplate(.literal("stock"), .param("variantId", integer)),
        ttl: .fixed(seconds: 120), tier: .l1,
        valueShape: "integer", valueKind: .integer,
        warmability: .warmable(from: "variant stock levels"),
        staleOn: [.stock, .product, .order],
        summary: "A variant's stock level.")

    // MARK: admin dashboard (L3)

    public static let adminStats = KeyFamily(
        name: "admin-stats",
        template: KeyTemplate(.literal("admin"), .literal("stats"), .param("period", periods)),
        ttl: .perParameter(name: "period", values: ["today": 300], otherwise: 3600), tier: .l3,
        valueShape: "JSON DashboardStats", valueKind: .object,
        warmability: .warmable(from: "orders per period (today, week, month)"),
        staleOn: [.order, .refund],
        summary: "Dashboard statistics for a period.")

    public static let adminTopProducts = KeyFamily(
        name: "admin-top-products",
        template: KeyTemplate(.literal("admin"), .literal("top-products"), .param("limit", integer)),
        ttl: .fixed(seconds: 3600), tier: .l3,
        valueShape: "JSON array of Product", valueKind: .array,
        warmability: .warmable(from: "order items (limit 10)"),
        staleOn: [.order],
        summary: "The best-selling products.")

    public static let adminRevenue = KeyFamily(
        name: "admin-revenue",
        template: KeyTemplate(.literal("admin"), .literal("revenue"), .param("period", periods)),
        ttl: .fixed(seconds: 3600), tier: .l3,
        valueShape: "JSON RevenueStats", valueKind: .object,
        warmability: .warmable(from: "orders per period (today, week, month)"),
        staleOn: [.order, .refund],
        summary: "Revenue statistics for a period.")

    // MARK: security and sessions (L1)

    /// The session id is a token: the app's ids are UUID-like (`abc-def-ghi`), never `:`.
    public static let session = KeyFamily(
        name: "session",
        template: KeyTemplate(.literal("session"), .param("sessionId", .token)),
        ttl: .fixed(seconds: 86400), tier: .l1,
        valueShape: "JSON {userId, …metadata}", valueKind: .object,
        warmability: .notWarmable(reason: "sessions live only in Redis"),
        staleOn: [.session],
        summary: "An active session.")

    public static let userSessions = KeyFamily(
        name: "user-sessions",
        template: KeyTemplate(.literal("user"), .param("userId", integer), .literal("sessions")),
        ttl: .fixed(seconds: 86400), tier: .l1,
        valueShape: "JSON array of session ids", valueKind: .array,
        warmability: .notWarmable(reason: "sessions live only in Redis"),
        staleOn: [.session],
        summary: "The ids of a user's active sessions.")

    /// `ratelimit:{subject}:{endpoint}`: the subject is a user id or the client's IP
    /// (IPv6 included), the endpoint the rest (`POST:/api/orders`, `/api/orders/:id`); see
    /// `ParameterKind.subject` for where one ends and the other begins.
    public static let rateLimit = KeyFamily(
        name: "ratelimit",
        template: KeyTemplate(.literal("ratelimit"), .param("subject", .subject), .param("endpoint", .rest)),
        ttl: .fixed(seconds: 60), tier: .l1,
        valueShape: "integer (requests in the window)", valueKind: .integer,
        warmability: .notWarmable(reason: "counters of live traffic"),
        staleOn: [.rateLimitReset],
        summary: "Requests by a user or IP to an endpoint in the current minute.")

    /// Every family, in the order of docs/KEYSPACE.md.
    public static let all: [KeyFamily] = [
        perm, jwtBlacklist, userOrgs, org, orgMembers, orgStats, orgSearch, attrEntity, attr,
        product, productVariants, orgProducts, categoryProducts, categoryTree, commission,
        orderVendorItems, vendorEarnings, shippingRates, refunds, cart, stock, adminStats,
        adminTopProducts, adminRevenue, session, userSessions, rateLimit,
    ]
}
