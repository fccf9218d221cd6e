import Support

/// The keys a change makes stale: exact keys to delete by name, and sweeps for what
/// cannot be enumerated. All carry the prefix the plan was made with.
///
/// Deleting by name costs milliseconds; every sweep walks the whole keyspace with SCAN
/// (about 1.2 s per 2,000,000 keys), so plans use sweeps only for query-shaped families
/// and open-ended parameters. An engine running several sweeps may walk once and test
/// each key against every selector.
public struct InvalidationPlan: Sendable, Hashable {
    /// Exact keys, deduplicated, in the order the rules produced them.
    public private(set) var keys: [String] = []
    /// The sweeps, each a SCAN pattern with the exact test to apply to what it returns.
    public private(set) var selectors: [KeySelector] = []
    /// Names of the families touched (by keys or sweeps), in registry order.
    public private(set) var families: [String] = []

    private var seenKeys: Set<String> = []

    public init() {}

    /// The sweeps' SCAN patterns.
    public var sweeps: [String] { selectors.map(\.pattern) }

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

    mutating func add(_ family: KeyFamily, _ params: [String: String], prefix: String) throws {
        appendKey(try family.key(params, prefix: prefix))
        touch(family.name)
    }

    mutating func addLegacy(_ form: LegacyForm, _ params: [String: String], prefix: String) throws {
        appendKey(prefix + (try form.template.render(params)))
        touch(form.canonicalFamily)
    }

    mutating func sweep(_ family: KeyFamily, _ params: [String: String], prefix: String) throws {
        let selector = try family.selector(params: params, prefix: prefix)
        if !selectors.contains(selector) { selectors.append(selector) }
        touch(family.name)
    }

    mutating func sweep(_ selector: KeySelector) {
        if !selectors.contains(selector) { selectors.append(selector) }
        touch(selector.family.name)
    }

    private mutating func appendKey(_ key: String) {
        if seenKeys.insert(key).inserted { keys.append(key) }
    }

    mutating func touch(_ family: String) {
        guard !families.contains(family) else { return }
        families.append(family)
        let order = KeyspaceRegistry.standard.familyNames
        families.sort { (order.firstIndex(of: $0) ?? Int.max) < (order.firstIndex(of: $1) ?? Int.max) }
    }
}

extension KeyspaceRegistry {
    /// The keys `change` makes stale (see each `DataChange` case), with `prefix` on every
    /// key and pattern. Throws `KeyspaceError` when a fact cannot be rendered into a key
    /// (a resource name with `:`, a price with more than 15 significant digits).
    public func plan(for change: DataChange, prefix: String = "") throws -> InvalidationPlan {
        var plan = InvalidationPlan()
        func id(_ value: Int) -> String { String(value) }

        func permissions(userId: Int, orgId: Int, catalog: [ResourceAction]) throws {
            for entry in catalog {
                try plan.add(.perm, ["userId": id(userId), "orgId": id(orgId),
                                     "resource": entry.resource, "action": entry.action], prefix: prefix)
            }
        }
        func userOrgs(_ userId: Int) throws {
            try plan.add(.userOrgs, ["userId": id(userId)], prefix: prefix)
            for form in legacyForms where form.canonicalFamily == KeyFamily.userOrgs.name {
                try plan.addLegacy(form, ["userId": id(userId)], prefix: prefix)
            }
        }

        switch change {
        case .membership(let userId, let orgId, let catalog):
            try permissions(userId: userId, orgId: orgId, catalog: catalog)
            try userOrgs(userId)
            try plan.add(.orgMembers, ["orgId": id(orgId)], prefix: prefix)
            try plan.add(.orgStats, ["orgId": id(orgId)], prefix: prefix)

        case .rolePermission(let resource, let action, let holders):
            for holder in holders {
                try plan.add(.perm, ["userId": id(holder.userId), "orgId": id(holder.orgId),
                                     "resource": resource, "action": action], prefix: prefix)
            }

        case .organization(let orgId, let memberIds, let catalog):
            let org = ["orgId": id(orgId)]
            try plan.add(.org, org, prefix: prefix)
            try plan.add(.orgMembers, org, prefix: prefix)
            try plan.add(.orgStats, org, prefix: prefix)
            try plan.add(.orgProducts, org, prefix: prefix)
            for member in memberIds {
                try userOrgs(member)
                try permissions(userId: member, orgId: orgId, catalog: catalog)
            }
            try plan.sweep(.orgSearch, [:], prefix: prefix)
            try plan.sweep(.refunds, org, prefix: prefix)

        case .product(let productId, let orgId, let categoryIds, let prices, let variantIds, let cartUserIds):
            let product = ["productId": id(productId)]
            try plan.add(.product, product, prefix: prefix)
            try plan.add(.productVariants, product, prefix: prefix)
            try plan.add(.orgProducts, ["orgId": id(orgId)], prefix: prefix)
            try plan.add(.orgStats, ["orgId": id(orgId)], prefix: prefix)
            for category in categoryIds {
                try plan.add(.categoryProducts, ["categoryId": id(category)], prefix: prefix)
            }
            for price in prices {
                guard let text = JSNumberForm.string(from: price) else {
                    throw KeyspaceError.invalidParameter(
                        template: KeyFamily.commission.pattern, name: "price", value: price.description,
                        expected: ParameterKind.decimal.description)
                }
                try plan.add(.commission, ["productId": id(productId), "price": text], prefix: prefix)
            }
            for variant in variantIds {
                try plan.add(.stock, ["variantId": id(variant)], prefix: prefix)
            }
            for user in cartUserIds {
                try plan.add(.cart, ["userId": id(user)], prefix: prefix)
            }
            try plan.sweep(.commission, product, prefix: prefix)

        case .stock(let variantId, let productId):
            try plan.add(.stock, ["variantId": id(variantId)], prefix: prefix)
            try plan.add(.productVariants, ["productId": id(productId)], prefix: prefix)

        case .categories(let categoryIds):
            try plan.add(.categoryTree, [:], prefix: prefix)
            for category in categoryIds {
                try plan.add(.categoryProducts, ["categoryId": id(category)], prefix: prefix)
            }

        case .attributes(let entityTypes, let attributeIds):
            for entityType in entityTypes {
                try plan.add(.attrEntity, ["entityType": entityType], prefix: prefix)
            }
            for attribute in attributeIds {
                try plan.add(.attr, ["attrId": id(attribute)], prefix: prefix)
            }

        case .commissionRules(let productIds):
            if let productIds {
                for productId in productIds {
                    try plan.sweep(.commission, ["productId": id(productId)], prefix: prefix)
                }
            } else {
                try plan.sweep(.commission, [:], prefix: prefix)
            }

        case .rateLimit(let subject, let endpoints):
            guard ParameterKind.subject.accepts(subject) else {
                throw KeyspaceError.invalidParameter(
                    template: KeyFamily.rateLimit.pattern, name: "subject", value: subject,
                    expected: ParameterKind.subject.description)
            }
            if let endpoints {
                for endpoint in endpoints {
                    try plan.add(.rateLimit, ["subject": subject, "endpoint": endpoint], prefix: prefix)
                }
            } else {
                try plan.sweep(.rateLimit, ["subject": subject], prefix: prefix)
            }

        case .carts(let userIds):
            for user in userIds {
                try plan.add(.cart, ["userId": id(user)], prefix: prefix)
            }

        case .user(_, let orgIds):
            for orgId in orgIds {
                try plan.add(.orgMembers, ["orgId": id(orgId)], prefix: prefix)
            }
        }
        return plan
    }

    /// The union of the plans of `changes`, in order.
    public func plan(for changes: [DataChange], prefix: String = "") throws -> InvalidationPlan {
        var plan = InvalidationPlan()
        for change in changes {
            plan.merge(try self.plan(for: change, prefix: prefix))
        }
        return plan
    }

    public static func plan(for change: DataChange, prefix: String = "") throws -> InvalidationPlan {
        try standard.plan(for: change, prefix: prefix)
    }

    public static func plan(for changes: [DataChange], prefix: String = "") throws -> InvalidationPlan {
        try standard.plan(for: changes, prefix: prefix)
    }
}
