/// The cache layers of docs/KEYSPACE.md: how hot the data is and roughly how long it lives.
public enum Tier: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Hot: permissions, sessions, org context (TTL minutes).
    case l1 = "L1"
    /// Warm: catalogs, category trees (TTL 15-60 minutes).
    case l2 = "L2"
    /// Cold: analytics, reports, aggregates (TTL hours).
    case l3 = "L3"

    public var description: String { rawValue }
}

/// Whether `cache warm` can compute a family's values from PostgreSQL.
public enum Warmability: Sendable, Hashable, CustomStringConvertible {
    /// Computable; `from` says from what (`memberships × permission catalog`).
    case warmable(from: String)
    /// Not computable; `reason` says why (`query-shaped`).
    case notWarmable(reason: String)

    public var isWarmable: Bool {
        if case .warmable = self { return true }
        return false
    }

    /// `yes: memberships × permission catalog` / `no (query-shaped)`.
    public var description: String {
        switch self {
        case .warmable(let from): "yes: " + from
        case .notWarmable(let reason): "no (" + reason + ")"
        }
    }
}

/// The JSON type of a family's values, as cache-manager stores them (`JSON.stringify`).
public enum ValueKind: String, Sendable, Hashable, CaseIterable {
    /// `true` / `false`.
    case boolean
    /// A JSON number that is an integer (`42`).
    case integer
    /// A JSON object.
    case object
    /// A JSON array.
    case array
}

/// A kind of data change in PostgreSQL (or an operator action) that makes cached keys
/// stale. `KeyFamily.staleOn` lists the kinds for each family; `DataChange` carries the
/// facts of one change, and `BoundKeyspace.plan(for:)` turns them into keys.
public enum ChangeKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A user joined or left an org, or their role in it changed.
    case membership
    /// A permission was granted to or revoked from a role.
    case rolePermission
    /// An org was created, updated, suspended or activated.
    case organization
    /// A user's own record changed (name, email) as shown in member lists.
    case user
    /// A product was created or updated (price, status, category, variants).
    case product
    /// A variant's stock level changed.
    case stock
    /// The category tree changed.
    case category
    /// Attribute definitions changed.
    case attribute
    /// Commission rules (rates) changed.
    case commissionRule
    /// A cart changed.
    case cart
    /// An order or its items changed (written by the app, which invalidates its own keys).
    case order
    /// A refund was created or changed (written by the app).
    case refund
    /// A session was created or revoked.
    case session
    /// An operator reset a rate-limit counter.
    case rateLimitReset

    public var description: String { rawValue }
}

/// One family of cache keys, declared once; everything else (warming, invalidation,
/// patterns, parsing, metrics, lint, completions, the README table) derives from it.
public struct KeyFamily: Sendable, Hashable, CustomStringConvertible {
    /// The family's name (`perm`, `product-variants`).
    public let name: String
    public let template: KeyTemplate
    public let ttl: TTLPolicy
    public let tier: Tier
    /// A short description of the value (`true|false`, `JSON Organization`, `integer`).
    public let valueShape: String
    public let valueKind: ValueKind
    public let warmability: Warmability
    /// Which data changes make its keys stale; `BoundKeyspace.plan(for:)` follows it.
    public let staleOn: [ChangeKind]
    /// One sentence on what the family caches.
    public let summary: String

    public init(
        name: String, template: KeyTemplate, ttl: TTLPolicy, tier: Tier,
        valueShape: String, valueKind: ValueKind, warmability: Warmability,
        staleOn: [ChangeKind], summary: String
    ) {
        self.name = name
        self.template = template
        self.ttl = ttl
        self.tier = tier
        self.valueShape = valueShape
        self.valueKind = valueKind
        self.warmability = warmability
        self.staleOn = staleOn
        self.summary = summary
    }

    public var description: String { name }

    /// The display form of the key template: `perm:{userId}:{orgId}:{resource}:{action}`.
    public var pattern: String { template.pattern }

    public var parameters: [KeyParameter] { template.parameters }

    /// Families are identified by name.
    public static func == (lhs: KeyFamily, rhs: KeyFamily) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
