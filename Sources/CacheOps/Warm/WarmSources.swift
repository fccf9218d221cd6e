import Support

/// Every warmable family's declaration. The tests check that this covers exactly the
/// registry's warmable families, and plan each for every scope that reaches it.
enum WarmSources {
    static let all: [WarmDeclaration] = [
        .perm, .userOrgs,
        .org, .orgMembers, .orgStats,
        .attrEntity, .attr,
        .product, .productVariants, .orgProducts, .categoryProducts, .categoryTree, .stock,
        .commission, .orderVendorItems, .vendorEarnings, .cart,
        .adminStats, .adminTopProducts, .adminRevenue,
    ]

    static let byName: [String: WarmDeclaration] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.family.name, $0) })

    /// Whether `scope` reaches family `name`.
    static func reaches(_ name: String, _ scope: WarmScope.Kind) -> Bool {
        guard let declaration = byName[name] else { return false }
        return scope == .all || declaration.scopes[scope] != nil
    }

    /// The plans of families `names` for `scope`, by name: a family without a declaration,
    /// or a declaration in error, is an internal error before anything is read or written.
    static func plans(_ names: [String], scope: WarmScope.Kind) throws -> [String: WarmPlan] {
        var plans: [String: WarmPlan] = [:]
        for name in names {
            guard let declaration = byName[name] else { throw WWError.internalError("warm: no declaration for family \(name)") }
            plans[name] = try WarmPlan(declaration, scope: scope)
        }
        return plans
    }
}
