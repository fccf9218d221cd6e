import Keyspace
import Support
import Testing

private let catalog = [ResourceAction("product", "read"), ResourceAction("product", "write"),
                       ResourceAction("order", "read")]

private func plan(_ change: DataChange, in space: BoundKeyspace = unprefixed) throws -> InvalidationPlan {
    try space.plan(for: change)
}

private func price(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

/// Facts with something in every list, so that every rule of a change fires.
private let fullChanges: [DataChange] = [
    .membership(userId: 42, orgId: 7, permissionCatalog: catalog),
    .rolePermission(resource: "product", action: "write", holders: [UserOrg(userId: 1, orgId: 7)]),
    .organization(orgId: 7, memberIds: [1, 42], permissionCatalog: catalog),
    .product(productId: 9, orgId: 7, categoryIds: [3, 4], prices: [price("19.99"), price("20.00")],
             variantIds: [90, 91], cartUserIds: [5]),
    .stock(variantId: 90, productId: 9),
    .categories(categoryIds: [3]),
    .attributes(entityTypes: ["product"], attributeIds: [12]),
    .commissionRules(productIds: [9]),
    .rateLimit(subject: "123", endpoints: nil),
    .carts(userIds: [5]),
    .user(userId: 42, orgIds: [7]),
]

@Suite struct PlanTests {
    @Test func membershipChange() throws {
        let result = try plan(.membership(userId: 42, orgId: 7, permissionCatalog: catalog))
        #expect(Set(result.keyTexts) == [
            "perm:42:7:product:read", "perm:42:7:product:write", "perm:42:7:order:read",
            "user:orgs:42", "user:42:orgs", "org:7:members", "org:7:stats",
        ])
        #expect(result.keyTexts.count == 7)
        #expect(result.sweeps.isEmpty)
        #expect(result.families == ["perm", "user-orgs", "org-members", "org-stats"])
        // Decoys: the same user in another org, user 420, org 70.
        for decoy in ["perm:42:8:product:read", "perm:420:7:product:read", "perm:4:7:product:read",
                      "user:orgs:420", "org:70:members", "org:7"] {
            #expect(!result.keyTexts.contains(decoy), "\(decoy)")
        }
    }

    @Test func rolePermissionChange() throws {
        let holders = [UserOrg(userId: 1, orgId: 7), UserOrg(userId: 2, orgId: 7), UserOrg(userId: 1, orgId: 8)]
        let result = try plan(.rolePermission(resource: "product", action: "write", holders: holders))
        #expect(result.keyTexts == ["perm:1:7:product:write", "perm:2:7:product:write", "perm:1:8:product:write"])
        #expect(result.families == ["perm"])
        #expect(result.sweeps.isEmpty)
        #expect(throws: KeyspaceError.self) {
            try plan(.rolePermission(resource: "a:b", action: "write", holders: holders))
        }
    }

    @Test func organizationChange() throws {
        let result = try plan(.organization(orgId: 7, memberIds: [1, 42], permissionCatalog: catalog))
        var expected: Set<String> = ["org:7", "org:7:members", "org:7:stats", "org:7:products",
                                     "user:orgs:1", "user:1:orgs", "user:orgs:42", "user:42:orgs"]
        for user in [1, 42] {
            for entry in catalog { expected.insert("perm:\(user):7:\(entry.resource):\(entry.action)") }
        }
        #expect(Set(result.keyTexts) == expected)
        #expect(result.keyTexts.count == expected.count)
        #expect(result.sweeps == ["org:search:*", "refunds:org:7:*"])
        #expect(result.families == ["perm", "user-orgs", "org", "org-members", "org-stats", "org-search",
                                    "org-products", "refunds"])
        #expect(!result.keyTexts.contains("org:70"))
        // The sweeps select exactly their families' keys.
        let search = result.selectors[0]
        #expect(search.matches("org:search:abc"))
        #expect(!search.matches("org:7"))
        let refunds = result.selectors[1]
        #expect(refunds.matches("refunds:org:7:abc"))
        #expect(!refunds.matches("refunds:org:70:abc"))
    }

    @Test func productChange() throws {
        let result = try plan(.product(
            productId: 9, orgId: 7, categoryIds: [3, 4], prices: [price("19.99"), price("20.00")],
            variantIds: [90, 91]))
        #expect(Set(result.keyTexts) == [
            "product:9", "product:9:with-variants", "org:7:products", "org:7:stats",
            "category:3:products", "category:4:products",
            "commission:9:19.99", "commission:9:20",
            "stock:90", "stock:91",
        ])
        #expect(result.sweeps == ["commission:9:*"])
        #expect(!result.keyTexts.contains("commission:9:20.00"))
        #expect(!result.keyTexts.contains { $0.hasPrefix("admin:") })
        #expect(!result.families.contains("cart"))
        #expect(result.selectors[0].matches("commission:9:1000"))
        #expect(!result.selectors[0].matches("commission:90:1000"))

        // Unchanged price and category given twice: deduplicated.
        let same = try plan(.product(productId: 9, orgId: 7, categoryIds: [3, 3], prices: [price("1000"), price("1000.00")],
                                     variantIds: [], cartUserIds: [5, 6]))
        #expect(same.keyTexts == ["product:9", "product:9:with-variants", "org:7:products", "org:7:stats",
                              "category:3:products", "commission:9:1000", "cart:5", "cart:6"])
        #expect(same.families.contains("cart"))

        let tooPrecise = #expect(throws: KeyspaceError.self) {
            try plan(.product(productId: 9, orgId: 7, categoryIds: [], prices: [price("1234567890.123456")], variantIds: []))
        }
        #expect(tooPrecise?.category == .dataError)
    }

    @Test func stockChange() throws {
        let result = try plan(.stock(variantId: 90, productId: 9))
        #expect(result.keyTexts == ["stock:90", "product:9:with-variants"])
        #expect(result.families == ["product-variants", "stock"])
        #expect(!result.keyTexts.contains("product:9"))
    }

    @Test func categoriesChange() throws {
        #expect(try plan(.categories(categoryIds: [])).keyTexts == ["categories:tree"])
        let result = try plan(.categories(categoryIds: [3, 5]))
        #expect(result.keyTexts == ["categories:tree", "category:3:products", "category:5:products"])
        #expect(result.families == ["category-products", "category-tree"])
    }

    @Test func attributesChange() throws {
        let result = try plan(.attributes(entityTypes: ["product", "order"], attributeIds: [12]))
        #expect(result.keyTexts == ["attr:entity:product", "attr:entity:order", "attr:12"])
        #expect(result.families == ["attr-entity", "attr"])
    }

    @Test func commissionRulesChange() throws {
        let some = try plan(.commissionRules(productIds: [9, 10]))
        #expect(some.keyTexts.isEmpty)
        #expect(some.sweeps == ["commission:9:*", "commission:10:*"])
        let all = try plan(.commissionRules(productIds: nil))
        #expect(all.sweeps == ["commission:*:*"])
        #expect(all.selectors[0].matches("commission:1:19.99"))
        #expect(!all.selectors[0].matches("commission:x:19.99"))
    }

    @Test func rateLimitResets() throws {
        let some = try plan(.rateLimit(subject: "123", endpoints: ["POST:/api/orders", "/api/cart"]))
        #expect(some.keyTexts == ["ratelimit:123:POST:/api/orders", "ratelimit:123:/api/cart"])
        let all = try plan(.rateLimit(subject: "::1", endpoints: nil))
        #expect(all.keyTexts.isEmpty)
        #expect(all.sweeps == ["ratelimit:::1:*"])
        #expect(all.selectors[0].matches("ratelimit:::1:GET:/x"))
        #expect(!all.selectors[0].matches("ratelimit:::12:GET:/x"))
        #expect(throws: KeyspaceError.self) { try plan(.rateLimit(subject: "alice", endpoints: nil)) }
        #expect(throws: KeyspaceError.self) { try plan(.rateLimit(subject: "::1", endpoints: ["orders"])) }
    }

    @Test func cartAndUserChanges() throws {
        #expect(try plan(.carts(userIds: [5, 6])).keyTexts == ["cart:5", "cart:6"])
        #expect(try plan(.user(userId: 42, orgIds: [7, 8])).keyTexts == ["org:7:members", "org:8:members"])
    }

    @Test func prefixAppliesToEverything() throws {
        let result = try plan(.organization(orgId: 7, memberIds: [1], permissionCatalog: catalog), in: keyspace("my*app:"))
        #expect(result.keyTexts.allSatisfy { $0.hasPrefix("my*app:") })
        #expect(result.keyTexts.contains("my*app:org:7"))
        #expect(result.sweeps == ["my\\*app:org:search:*", "my\\*app:refunds:org:7:*"])
        #expect(result.selectors[0].matches("my*app:org:search:x"))
        #expect(!result.selectors[0].matches("myXapp:org:search:x"))
        #expect(!result.selectors[0].matches("org:search:x"))
    }

    @Test func plansAgreeWithStaleOn() throws {
        let registry = KeyspaceRegistry.standard
        for change in fullChanges {
            let result = try plan(change)
            let expected = registry.families.filter { $0.staleOn.contains(change.kind) }.map(\.name)
            #expect(result.families == expected, "\(change.kind)")
            // Every key is a key of a touched family (legacy forms included).
            for key in result.keyTexts {
                let family = unprefixed.parse(key).family?.name
                #expect(family.map(result.families.contains) == true, "\(key)")
            }
            for selector in result.selectors {
                #expect(result.families.contains(selector.family.name))
            }
        }
        // Kinds that no DataChange carries are the app's own writes, and sessions, whose
        // keys the sessions service names itself (it edits the user's list, never deletes it).
        let covered = Set(fullChanges.map(\.kind))
        #expect(Set(ChangeKind.allCases).subtracting(covered) == [.order, .refund, .session])
    }

    @Test func plansWithPrefixParseBack() throws {
        for change in fullChanges {
            let result = try plan(change, in: keyspace("app:"))
            for key in result.keyTexts {
                #expect(keyspace("app:").parse(key).family != nil, "\(key)")
            }
        }
    }

    @Test func mergingPlans() throws {
        let merged = try unprefixed.plan(for: [
            .membership(userId: 42, orgId: 7, permissionCatalog: catalog),
            .organization(orgId: 7, memberIds: [42], permissionCatalog: catalog),
        ])
        let membership = try plan(.membership(userId: 42, orgId: 7, permissionCatalog: catalog))
        let organization = try plan(.organization(orgId: 7, memberIds: [42], permissionCatalog: catalog))
        #expect(Set(merged.keyTexts) == Set(membership.keyTexts).union(organization.keyTexts))
        #expect(merged.keyTexts.count == Set(merged.keyTexts).count)
        #expect(merged.sweeps == organization.sweeps)
        #expect(merged.families == organization.families)
        var combined = membership
        combined.merge(organization)
        #expect(combined == merged)
        #expect(InvalidationPlan().isEmpty)
        #expect(!merged.isEmpty)
    }
}
