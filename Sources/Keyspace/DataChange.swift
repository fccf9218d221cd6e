import Support

/// A resource/action pair of the permission catalog (`product`/`read`).
public struct ResourceAction: Sendable, Hashable {
    public let resource: String
    public let action: String

    public init(_ resource: String, _ action: String) {
        self.resource = resource
        self.action = action
    }
}

/// A user's membership in an org.
public struct UserOrg: Sendable, Hashable {
    public let userId: Int
    public let orgId: Int

    public init(userId: Int, orgId: Int) {
        self.userId = userId
        self.orgId = orgId
    }
}

/// What changed, with the facts the domain read from PostgreSQL in the same transaction.
/// The registry turns it into the keys to delete (`BoundKeyspace.plan(for:)`); domain
/// code never spells a key.
public enum DataChange: Sendable, Hashable {
    /// A user was added to or removed from an org, or their role changed.
    /// `permissionCatalog` is the whole catalog: any cached answer may have flipped.
    /// → `perm:{u}:{o}:{r}:{a}` for the catalog, `user:orgs:{u}` (and its legacy form
    /// `user:{u}:orgs`), `org:{o}:members`, `org:{o}:stats`. The user's keys in other
    /// orgs are untouched.
    case membership(userId: Int, orgId: Int, permissionCatalog: [ResourceAction])

    /// A permission was granted to or revoked from a role; `holders` are the memberships
    /// with that role. → `perm:{u}:{o}:{resource}:{action}` for each holder.
    case rolePermission(resource: String, action: String, holders: [UserOrg])

    /// An org was created, updated, suspended or activated. → `org:{o}`, `org:{o}:members`,
    /// `org:{o}:stats`, `org:{o}:products`, and for every member `user:orgs:{m}` (and
    /// `user:{m}:orgs`) and `perm:{m}:{o}:{r}:{a}` over the catalog; sweeps `org:search:*`
    /// and `refunds:org:{o}:*`, which cannot be enumerated.
    case organization(orgId: Int, memberIds: [Int], permissionCatalog: [ResourceAction])

    /// A product was created or updated. `categoryIds` holds its old and new categories,
    /// `prices` every price the app may have computed a commission for (the product's and
    /// its variants', old and new; duplicates are harmless), `variantIds` its variants,
    /// `cartUserIds` the users whose carts hold one of its variants (prices shown there).
    /// → `product:{p}`, `product:{p}:with-variants`, `org:{o}:products`, `org:{o}:stats`,
    /// `category:{c}:products` for each category, `commission:{p}:{price}` for each price
    /// (JS number form: `19.99`, `20`), `stock:{v}` for each variant, `cart:{u}` for each
    /// cart; sweeps `commission:{p}:*` for prices seen in old orders or carts.
    ///
    /// Not `admin:top-products:{limit}`: the admin dashboard is an L3 aggregate whose
    /// source accepts staleness up to its TTL, and the open-ended limit would cost a
    /// sweep (a walk of the whole keyspace) on every product change.
    case product(
        productId: Int, orgId: Int, categoryIds: [Int], prices: [ExactDecimal], variantIds: [Int],
        cartUserIds: [Int] = [])

    /// A variant's stock changed. → `stock:{v}`, `product:{p}:with-variants`.
    case stock(variantId: Int, productId: Int)

    /// The category tree changed; `categoryIds` are the categories whose product lists
    /// changed with it (deleted, merged, moved products). → `categories:tree` and
    /// `category:{c}:products` for each.
    case categories(categoryIds: [Int])

    /// Attribute definitions changed. → `attr:entity:{t}` for each entity type, `attr:{id}`
    /// for each attribute.
    case attributes(entityTypes: [String], attributeIds: [Int])

    /// Commission rules changed for some products (an org's rate: its products), or for
    /// all when nil. The cached prices are not known, so → sweeps `commission:{p}:*` for
    /// each product, or `commission:*:*` for all.
    case commissionRules(productIds: [Int]?)

    /// An operator reset rate limits of a subject (user id or IP), for some endpoints or
    /// all when nil. → `ratelimit:{subject}:{endpoint}` for each, or sweeps
    /// `ratelimit:{subject}:*`.
    case rateLimit(subject: String, endpoints: [String]?)

    /// Carts changed outside the app. → `cart:{u}` for each user.
    case carts(userIds: [Int])

    /// A user's record changed (name, email) as shown in member lists; `orgIds` are their
    /// orgs. → `org:{o}:members` for each.
    case user(userId: Int, orgIds: [Int])

    /// The kind of change, as listed in `KeyFamily.staleOn`.
    public var kind: ChangeKind {
        switch self {
        case .membership: .membership
        case .rolePermission: .rolePermission
        case .organization: .organization
        case .product: .product
        case .stock: .stock
        case .categories: .category
        case .attributes: .attribute
        case .commissionRules: .commissionRule
        case .rateLimit: .rateLimitReset
        case .carts: .cart
        case .user: .user
        }
    }
}
