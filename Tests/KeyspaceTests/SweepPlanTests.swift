import Keyspace
import Support
import Testing

private let catalog = [ResourceAction("product", "read"), ResourceAction("order", "read")]

@Suite struct SweepPlanTests {
    @Test func membershipSweepsTheUsersPermKeysInThatOrgOnly() throws {
        let plan = try unprefixed.sweepPlan(for: .membership(userId: 42, orgId: 7, permissionCatalog: catalog))
        #expect(plan.keys.isEmpty)
        #expect(plan.sweeps == ["perm:42:7:*:*"])
        #expect(plan.families == ["perm"])
        let selector = try #require(plan.selectors.first)
        // Even a resource the catalog does not have: that is what the sweep is for.
        #expect(selector.matches("perm:42:7:ghost:fly"))
        for decoy in ["perm:42:70:product:read", "perm:420:7:product:read", "perm:42:8:product:read", "user:orgs:42"] {
            #expect(!selector.matches(decoy), "\(decoy)")
        }
    }

    @Test func rolePermissionSweepsThatPermissionForEveryone() throws {
        let plan = try unprefixed.sweepPlan(
            for: .rolePermission(resource: "product", action: "update", holders: [UserOrg(userId: 1, orgId: 2)]))
        #expect(plan.sweeps == ["perm:*:*:product:update"])
        let selector = try #require(plan.selectors.first)
        #expect(selector.matches("perm:9:9:product:update"))
        #expect(!selector.matches("perm:9:9:product:read"))
        #expect(!selector.matches("perm:9:9:product:updated"))
    }

    @Test func organizationSweepsItsPermKeysBesidesThePlansOwnSweeps() throws {
        let change = DataChange.organization(orgId: 7, memberIds: [1], permissionCatalog: catalog)
        let plan = try keyspace("app:").sweepPlan(for: change)
        #expect(plan.keys.isEmpty)
        #expect(Set(plan.sweeps) == ["app:perm:*:7:*:*", "app:org:search:*", "app:refunds:org:7:*"])
        #expect(plan.families.contains("perm") && plan.families.contains("org-search") && plan.families.contains("refunds"))
    }

    @Test func changesThatNameEveryKeyAddNoSweep() throws {
        for change: DataChange in [
            .stock(variantId: 1, productId: 2), .carts(userIds: [1]), .user(userId: 1, orgIds: [2]),
            .categories(categoryIds: [1]),
        ] {
            #expect(try unprefixed.sweepPlan(for: change).isEmpty, "\(change)")
        }
        let rate = try unprefixed.sweepPlan(for: .rateLimit(subject: "5", endpoints: ["GET:/a"]))
        #expect(rate.sweeps == ["ratelimit:5:*"])
    }

    @Test func mergedIntoThePlanItKeepsTheKeysAndAddsTheSweeps() throws {
        let changes: [DataChange] = [.membership(userId: 42, orgId: 7, permissionCatalog: catalog)]
        var plan = try unprefixed.plan(for: changes)
        let keys = plan.keys
        plan.merge(try unprefixed.sweepPlan(for: changes))
        #expect(plan.keys == keys)
        #expect(plan.sweeps == ["perm:42:7:*:*"])
    }
}

@Suite struct KeySelectorSetTests {
    @Test func agreesWithEachSelectorAlone() throws {
        let selectors = try (1...300).map { try unprefixed.selector(.commission, params: ["productId": String($0)]) }
            + [try unprefixed.selector(.perm, params: ["orgId": "7"]), try unprefixed.selector(.orgSearch),
               try unprefixed.selector(.product, params: ["productId": "[1]"])]
        let set = KeySelectorSet(selectors)
        let keys = ["commission:1:19.99", "commission:300:20", "commission:301:20", "commission:30:1", "commission:3000:1",
                    "commission:1", "perm:1:7:a:b", "perm:7:1:a:b", "org:search:x:y", "org:searchx", "product:[1]",
                    "product:1", "", "c", "commission:12:5.5:extra"]
        for key in keys {
            #expect(set.matches(key) == selectors.contains { $0.matches(key) }, "\(key)")
        }
        #expect(set.matches("commission:150:9.5"))
        #expect(!set.matches("commission:0:9.5"))
    }

    @Test func commonPatternOnlyForOneFamilyAndPrefix() throws {
        let commission = try (1...3).map { try keyspace("p:").selector(.commission, params: ["productId": String($0)]) }
        #expect(KeySelectorSet(commission).commonPattern == Array("p:commission:*:*".utf8))
        #expect(KeySelectorSet(commission + [try unprefixed.selector(.commission)]).commonPattern == nil)
        #expect(KeySelectorSet(commission + [try unprefixed.selector(.orgSearch)]).commonPattern == nil)
        #expect(KeySelectorSet([]).commonPattern == nil)
    }
}
