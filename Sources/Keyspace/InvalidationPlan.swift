import Support

/// The keys a change makes stale: exact keys to delete by name, and sweeps for what
/// cannot be enumerated. All carry the prefix of the `BoundKeyspace` that made the plan.
///
/// Deleting by name costs milliseconds; every sweep walks the whole keyspace with SCAN
/// (about 1.2 s per 2,000,000 keys), so plans use sweeps only for query-shaped families
/// and open-ended parameters. An engine running several sweeps may walk once and test
/// each key against every selector.
public struct InvalidationPlan: Sendable, Hashable {
    /// Exact keys as sent to Redis, deduplicated, in the order the rules produced them.
    public private(set) var keys: [[UInt8]] = []
    /// The sweeps, each a SCAN pattern with the exact test to apply to what it returns.
    public private(set) var selectors: [KeySelector] = []
    /// Names of the families touched (by keys or sweeps), in registry order.
    public private(set) var families: [String] = []

    private var seenKeys: Set<[UInt8]> = []

    public init() {}

    /// The sweeps' SCAN patterns, as text for reports.
    public var sweeps: [String] { selectors.map(\.patternText) }

    public var isEmpty: Bool { keys.isEmpty && selectors.isEmpty }

    /// `other`'s keys, sweeps and families added to these (for a command that makes
    /// several changes in one transaction).
    public mutating func merge(_ other: InvalidationPlan) {
        for key in other.keys { appendKey(key) }
        for selector in other.selectors where !selectors.contains(selector) { selectors.append(selector) }
        for family in other.families { touch(family) }
    }

    public static func == (lhs: InvalidationPlan, rhs: InvalidationPlan) -> Bool {
        lhs.keys == rhs.keys && lhs.selectors == rhs.selectors && lhs.families == rhs.families
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(selectors)
        hasher.combine(families)
    }

    // MARK: building

    mutating func add(_ family: KeyFamily, _ params: [String: String], in keyspace: BoundKeyspace) throws {
        appendKey(try keyspace.key(family, params))
        touch(family.name)
    }

    mutating func addLegacy(_ form: LegacyForm, _ params: [String: String], in keyspace: BoundKeyspace) throws {
        appendKey(try keyspace.key(form, params))
        touch(form.canonicalFamily)
    }

    mutating func sweep(_ family: KeyFamily, _ params: [String: String], in keyspace: BoundKeyspace) throws {
        let selector = try keyspace.selector(family, params: params)
        if !selectors.contains(selector) { selectors.append(selector) }
        touch(family.name)
    }

    mutating func sweep(_ selector: KeySelector) {
        if !selectors.contains(selector) { selectors.append(selector) }
        touch(selector.family.name)
    }

    private mutating func appendKey(_ key: [UInt8]) {
        if seenKeys.insert(key).inserted { keys.append(key) }
    }

    mutating func touch(_ family: String) {
        guard !families.contains(family) else { return }
        families.append(family)
        let order = KeyspaceRegistry.standard.familyNames
        families.sort { (order.firstIndex(of: $0) ?? Int.max) < (order.firstIndex(of: $1) ?? Int.max) }
    }
}

extension BoundKeyspace {
    /// The keys `change` makes stale (see each `DataChange` case), with the prefix on
    /// every key and pattern. Throws
    /// `KeyspaceError` when a fact cannot be rendered into a key (a resource name with
    /// `:`, a price with more than 15 significant digits).
    public func plan(for change: DataChange) throws -> InvalidationPlan {
        var plan = InvalidationPlan()
        func id(_ value: Int) -> String { String(value) }

        func permissions(userId: Int, orgId: Int, catalog: [ResourceAction]) throws {
            for entry in catalog {
                try plan.add(.perm, ["userId": id(userId), "orgId": id(orgId),
                                     "resource": entry.resource, "action": entry.action], in: self)
            }
        }
        func userOrgs(_ userId: Int) throws {
            try plan.add(.userOrgs, ["userId": id(userId)], in: self)
            for form in registry.legacyForms where form.canonicalFamily == KeyFamily.userOrgs.name {
                try plan.addLegacy(form, ["userId": id(userId)], in: self)
            }
        }

        switch change {
        case .membership(let userId, let orgId, let catalog):
            try permissions(userId: userId, orgId: orgId, catalog: catalog)
            try userOrgs(userId)
            try plan.add(.orgMembers, ["orgId": id(orgId)], in: self)
            try plan.add(.orgStats, ["orgId": id(orgId)], in: self)

        case .rolePermission(let resource, let action, let holders):
            for holder in holders {
                try plan.add(.perm, ["userId": id(holder.userId), "orgId": id(holder.orgId),
                                     "resource": resource, "action": action], in: self)
            }

        case .organization(let orgId, let memberIds, let catalog):
            let org = ["orgId": id(orgId)]
            try plan.add(.org, org, in: self)
            try plan.add(.orgMembers, org, in: self)
            try plan.add(.orgStats, org, in: self)
            try plan.add(.orgProducts, org, in: self)
            for member in memberIds {
                try userOrgs(member)
                try permissions(userId: member, orgId: orgId, catalog: catalog)
            }
            try plan.sweep(.orgSearch, [:], in: self)
            try plan.sweep(.refunds, org, in: self)

        case .product(let productId, let orgId, let categoryIds, let prices, let variantIds, let cartUserIds):
            let product = ["productId": id(productId)]
            try plan.add(.product, product, in: self)
            try plan.add(.productVariants, product, in: self)
            try plan.add(.orgProducts, ["orgId": id(orgId)], in: self)
            try plan.add(.orgStats, ["orgId": id(orgId)], in: self)
            for category in categoryIds {
                try plan.add(.categoryProducts, ["categoryId": id(category)], in: self)
            }
            for price in prices {
                guard let text = JSNumberForm.string(from: price) else {
                    throw KeyspaceError.invalidParameter(
                        template: KeyFamily.commission.pattern, name: "price", value: price.description,
                        expected: ParameterKind.decimal.description)
                }
                try plan.add(.commission, ["productId": id(productId), "price": text], in: self)
            }
            for variant in variantIds {
                try plan.add(.stock, ["variantId": id(variant)], in: self)
            }
            for user in cartUserIds {
                try plan.add(.cart, ["userId": id(user)], in: self)
            }
            try plan.sweep(.commission, product, in: self)

        case .stock(let variantId, let productId):
            try plan.add(.stock, ["variantId": id(variantId)], in: self)
            try plan.add(.productVariants, ["productId": id(productId)], in: self)

        case .categories(let categoryIds):
            try plan.add(.categoryTree, [:], in: self)
            for category in categoryIds {
                try plan.add(.categoryProducts, ["categoryId": id(category)], in: self)
            }

        case .attributes(let entityTypes, let attributeIds):
            for entityType in entityTypes {
                try plan.add(.attrEntity, ["entityType": entityType], in: self)
            }
            for attribute in attributeIds {
                try plan.add(.attr, ["attrId": id(attribute)], in: self)
            }

        case .commissionRules(let productIds):
            if let productIds {
                for productId in productIds {
                    try plan.sweep(.commission, ["productId": id(productId)], in: self)
                }
            } else {
                try plan.sweep(.commission, [:], in: self)
            }

        case .rateLimit(let subject, let endpoints):
            guard ParameterKind.subject.accepts(subject) else {
                throw KeyspaceError.invalidParameter(
                    template: KeyFamily.rateLimit.pattern, name: "subject", value: subject,
                    expected: ParameterKind.subject.description)
            }
            if let endpoints {
                for endpoint in endpoints {
                    try plan.add(.rateLimit, ["subject": subject, "endpoint": endpoint], in: self)
                }
            } else {
                try plan.sweep(.rateLimit, ["subject": subject], in: self)
            }

        case .carts(let userIds):
            for user in userIds {
                try plan.add(.cart, ["userId": id(user)], in: self)
            }

        case .user(_, let orgIds):
            for orgId in orgIds {
                try plan.add(.orgMembers, ["orgId": id(orgId)], in: self)
            }
        }
        return plan
    }
}
