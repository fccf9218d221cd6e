extension BoundKeyspace {
    /// The family patterns a change touches, as sweeps only : what a mutation's `--sweep`
    /// adds to `plan(for:)` when the operator also wants keys gone that the database no
    /// longer names (a permission since dropped from the catalog, a value the app cached
    /// under a resource the catalog never had). Each selector is one walk of the whole
    /// keyspace, so this is never the default.
    ///
    /// - membership (u, o): `perm:{u}:{o}:*`
    /// - role permission (r, a): `perm:*:*:{r}:{a}`
    /// - organization o: `perm:*:{o}:*` (besides the plan's own `org:search:*` and
    ///   `refunds:org:{o}:*`)
    /// - product p: `commission:{p}:*` (already in the plan)
    /// - commission rules, rate limits without endpoints: as the plan
    /// - a rate limit with endpoints: `ratelimit:{subject}:*`
    ///
    /// Other changes name every key exactly and add no sweep.
    public func sweepPlan(for change: DataChange) throws -> InvalidationPlan {
        var plan = InvalidationPlan()
        switch change {
        case .membership(let userId, let orgId, _):
            try plan.sweep(.perm, ["userId": String(userId), "orgId": String(orgId)], in: self)
        case .rolePermission(let resource, let action, _):
            try plan.sweep(.perm, ["resource": resource, "action": action], in: self)
        case .organization(let orgId, _, _):
            try plan.sweep(.perm, ["orgId": String(orgId)], in: self)
            plan.merge(try self.plan(for: change).sweepsOnly)
        case .product, .commissionRules:
            plan.merge(try self.plan(for: change).sweepsOnly)
        case .rateLimit(let subject, _):
            plan.merge(try self.plan(for: .rateLimit(subject: subject, endpoints: nil)))
        case .stock, .categories, .attributes, .carts, .user:
            break
        }
        return plan
    }
}

extension InvalidationPlan {
    /// The sweeps alone, with their families.
    var sweepsOnly: InvalidationPlan {
        var plan = InvalidationPlan()
        for selector in selectors {
            plan.sweep(selector)
        }
        return plan
    }
}
