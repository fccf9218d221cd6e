import Keyspace
import Testing

/// The family table of docs/KEYSPACE.md, transcribed: name, template, TTL, tier, warmable.
let designTable: [(name: String, pattern: String, ttl: String, tier: Tier, warmable: Bool)] = [
    ("perm", "perm:{userId}:{orgId}:{resource}:{action}", "300 s", .l1, true),
    ("jwt-blacklist", "jwt:blacklist:{token}", "until the token's exp", .l1, false),
    ("user-orgs", "user:orgs:{userId}", "900 s", .l1, true),
    ("org", "org:{orgId}", "1800 s", .l2, true),
    ("org-members", "org:{orgId}:members", "1800 s", .l2, true),
    ("org-stats", "org:{orgId}:stats", "1800 s", .l2, true),
    ("org-search", "org:search:{filterHash}", "600 s", .l2, false),
    ("attr-entity", "attr:entity:{entityType}", "3600 s", .l2, true),
    ("attr", "attr:{attrId}", "3600 s", .l2, true),
    ("product", "product:{productId}", "1800 s", .l2, true),
    ("product-variants", "product:{productId}:with-variants", "1800 s", .l2, true),
    ("org-products", "org:{orgId}:products", "900 s", .l2, true),
    ("category-products", "category:{categoryId}:products", "900 s", .l2, true),
    ("category-tree", "categories:tree", "3600 s", .l2, true),
    ("commission", "commission:{productId}:{price}", "600 s", .l2, true),
    ("order-vendor-items", "order:{orderId}:vendor:{orgId}:items", "300 s", .l2, true),
    ("vendor-earnings", "vendor:{orgId}:earnings:{month}", "3600 s", .l3, true),
    ("shipping-rates", "shipping:rates:{origin}:{destination}", "21600 s", .l3, false),
    ("refunds", "refunds:org:{orgId}:{filterHash}", "300 s", .l2, false),
    ("cart", "cart:{userId}", "600 s", .l1, true),
    ("stock", "stock:{variantId}", "120 s", .l1, true),
    ("admin-stats", "admin:stats:{period}", "300 s when period=today, else 3600 s", .l3, true),
    ("admin-top-products", "admin:top-products:{limit}", "3600 s", .l3, true),
    ("admin-revenue", "admin:revenue:{period}", "3600 s", .l3, true),
    ("session", "session:{sessionId}", "86400 s", .l1, false),
    ("user-sessions", "user:{userId}:sessions", "86400 s", .l1, false),
    ("ratelimit", "ratelimit:{subject}:{endpoint}", "60 s", .l1, false),
]

/// Parameters for one key of every family, including awkward but valid values.
let sampleParams: [String: [[String: String]]] = [
    "perm": [["userId": "123", "orgId": "456", "resource": "product", "action": "read"]],
    "jwt-blacklist": [["token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxOTAwMDAwMDAwfQ.sig-_x"]],
    "user-orgs": [["userId": "7"]],
    "org": [["orgId": "42"], ["orgId": "0"]],
    "org-members": [["orgId": "42"]],
    "org-stats": [["orgId": "42"]],
    "org-search": [["filterHash": "5d41402abc4b2a76"], ["filterHash": "status=active:name=a b"]],
    "attr-entity": [["entityType": "product"]],
    "attr": [["attrId": "12"]],
    "product": [["productId": "789"], ["productId": "9223372036854775807"]],
    "product-variants": [["productId": "789"]],
    "org-products": [["orgId": "456"]],
    "category-products": [["categoryId": "3"]],
    "category-tree": [[:]],
    "commission": [["productId": "789", "price": "1000"], ["productId": "789", "price": "19.99"],
                   ["productId": "1", "price": "0.5"], ["productId": "1", "price": "0"]],
    "order-vendor-items": [["orderId": "1001", "orgId": "456"]],
    "vendor-earnings": [["orgId": "456", "month": "2025-11"]],
    "shipping-rates": [["origin": "US-94105", "destination": "DE-10115"]],
    "refunds": [["orgId": "456", "filterHash": "9f86d081"], ["orgId": "456", "filterHash": "a:b/c"]],
    "cart": [["userId": "123"]],
    "stock": [["variantId": "456"]],
    "admin-stats": [["period": "today"], ["period": "week"], ["period": "month"]],
    "admin-top-products": [["limit": "10"]],
    "admin-revenue": [["period": "month"]],
    "session": [["sessionId": "abc-def-ghi"]],
    "user-sessions": [["userId": "123"]],
    "ratelimit": [
        ["subject": "123", "endpoint": "POST:/api/orders"],
        ["subject": "10.0.0.1", "endpoint": "GET:/api/products"],
        ["subject": "::1", "endpoint": "POST:/api/orders"],
        ["subject": "2001:db8::7", "endpoint": "/api/orders/:id"],
        ["subject": "::ffff:10.0.0.1", "endpoint": "DELETE:/api/cart/:itemId"],
        ["subject": "123", "endpoint": "orders"],
        ["subject": "123", "endpoint": "v1:orders:list"],
    ],
]

@Suite struct FamilyTests {
    let registry = KeyspaceRegistry.standard

    @Test func holdsDesignTableInOrder() {
        #expect(registry.families.count == 27)
        #expect(registry.familyNames == designTable.map(\.name))
        #expect(KeyFamily.all.map(\.name) == designTable.map(\.name))
        for row in designTable {
            guard let family = registry.family(named: row.name) else {
                Issue.record("no family \(row.name)")
                continue
            }
            #expect(family.pattern == row.pattern, "\(row.name)")
            #expect(family.ttl.description == row.ttl, "\(row.name)")
            #expect(family.tier == row.tier, "\(row.name)")
            #expect(family.warmability.isWarmable == row.warmable, "\(row.name)")
            #expect(family.ttl.requiresTTL, "\(row.name)")
            #expect(!family.summary.isEmpty && !family.valueShape.isEmpty, "\(row.name)")
        }
    }

    @Test func templatesAreWellFormed() {
        for family in registry.families {
            #expect(family.template.isWellFormed, "\(family.name)")
        }
        for form in registry.legacyForms {
            #expect(form.template.isWellFormed, "\(form.form)")
            #expect(registry.family(named: form.canonicalFamily) != nil)
        }
        // The checker itself rejects what the matcher cannot handle.
        #expect(!KeyTemplate(.literal("a"), .param("x", .rest), .literal("b")).isWellFormed)
        #expect(!KeyTemplate(.literal("a"), .param("x", .subject), .param("y", .token)).isWellFormed)
        #expect(!KeyTemplate(.literal("a:b")).isWellFormed)
        #expect(!KeyTemplate(.param("x", .integer), .param("x", .integer)).isWellFormed)
    }

    @Test func valueShapesAndKinds() {
        #expect(KeyFamily.perm.valueShape == "true|false")
        #expect(KeyFamily.perm.valueKind == .boolean)
        #expect(KeyFamily.stock.valueShape == "integer")
        #expect(KeyFamily.stock.valueKind == .integer)
        #expect(KeyFamily.org.valueShape == "JSON Organization")
        #expect(KeyFamily.userSessions.valueShape == "JSON array of session ids")
        #expect(KeyFamily.orgSearch.warmability == .notWarmable(reason: "query-shaped"))
        #expect(KeyFamily.perm.warmability == .warmable(from: "memberships × permission catalog"))
        #expect(KeyFamily.perm.warmability.description == "yes: memberships × permission catalog")
        #expect(KeyFamily.refunds.warmability.description == "no (query-shaped)")
    }

    @Test func everyFamilyHasSamples() {
        #expect(Set(sampleParams.keys) == Set(registry.familyNames))
    }

    @Test(arguments: ["", "myapp:", "cache:v2:", "weird*[prefix]?"])
    func everyFamilyRoundTrips(prefix: String) throws {
        let space = keyspace(prefix)
        for family in registry.families {
            for params in sampleParams[family.name] ?? [] {
                let key = text(try space.key(family, params))
                #expect(key.hasPrefix(prefix))
                let parsed = space.parse(key)
                #expect(parsed.family == family, "\(key)")
                #expect(!parsed.isLegacy)
                #expect(parsed.params.map(\.name) == family.template.parameterNames, "\(key)")
                #expect(parsed.paramDictionary == params, "\(key)")
                #expect(space.params(of: Array(key.utf8), in: family) == parsed.params)
                #expect(space.canonicalKey(of: parsed) == Array(key.utf8))
                // Bytes parse the same.
                #expect(space.parse(Array(key.utf8)) == parsed)
                // The exact selector matches the key and its pattern is the escaped key.
                let selector = try space.selector(family, params: params)
                #expect(selector.isExact)
                #expect(selector.matches(key), "\(key)")
                #expect(selector.patternText == Glob.escape(key))
                #expect(Glob.match(pattern: selector.pattern, key: Array(key.utf8)))
                // The family-wide selector matches it too.
                #expect(try space.selector(family).matches(key), "\(key)")
            }
        }
    }

    @Test func everySampleKeyFitsExactlyOneTemplate() throws {
        for family in registry.families {
            for params in sampleParams[family.name] ?? [] {
                let key = try family.template.render(params)
                let matches = registry.allMatches(key)
                #expect(matches.count == 1, "\(key): \(matches)")
                // And no other family's wide selector takes it.
                for other in registry.families where other != family {
                    #expect(try !unprefixed.selector(other).matches(key), "\(other.name) selector took \(key)")
                }
            }
        }
    }

    @Test func exampleKeysOfTheSource() {
        // The integration plan's naming-convention examples (docs/KEYSPACE.md), with their families.
        let examples: [(String, String, [String: String])] = [
            ("perm:123:456:product:read", "perm",
             ["userId": "123", "orgId": "456", "resource": "product", "action": "read"]),
            ("org:456", "org", ["orgId": "456"]),
            ("org:456:members", "org-members", ["orgId": "456"]),
            ("product:789", "product", ["productId": "789"]),
            ("product:789:with-variants", "product-variants", ["productId": "789"]),
            ("cart:123", "cart", ["userId": "123"]),
            ("stock:456", "stock", ["variantId": "456"]),
            ("session:abc-def-ghi", "session", ["sessionId": "abc-def-ghi"]),
            ("ratelimit:123:POST:/api/orders", "ratelimit", ["subject": "123", "endpoint": "POST:/api/orders"]),
            ("admin:stats:today", "admin-stats", ["period": "today"]),
            ("commission:789:1000", "commission", ["productId": "789", "price": "1000"]),
        ]
        for (key, name, params) in examples {
            let parsed = unprefixed.parse(key)
            #expect(parsed.family?.name == name, "\(key)")
            #expect(parsed.paramDictionary == params, "\(key)")
            #expect(!parsed.isLegacy)
        }
        // The one example the code does not write: a legacy form.
        let legacy = unprefixed.parse("user:123:orgs")
        #expect(legacy.isLegacy)
        #expect(legacy.family == .userOrgs)
    }

    @Test func lookupAndNearestName() throws {
        #expect(KeyspaceRegistry.family(named: "product") == .product)
        #expect(KeyspaceRegistry.family(named: "prodcut") == nil)
        #expect(KeyspaceRegistry.nearestFamilyName(to: "prodcut") == "product")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "perms") == "perm")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "rate-limit") == "ratelimit")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "user_orgs") == "user-orgs")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "Product") == "product")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "org-memebrs") == "org-members")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "categorie-tree") == "category-tree")
        #expect(KeyspaceRegistry.nearestFamilyName(to: "product") == nil)
        #expect(KeyspaceRegistry.nearestFamilyName(to: "xyz") == nil)
        #expect(KeyspaceRegistry.nearestFamilyName(to: "") == nil)
        #expect(KeyspaceRegistry.nearestFamilyName(to: "completely-unrelated-words") == nil)
        #expect(KeyspaceRegistry.nearestFamilyName(to: String(repeating: "p", count: 10_000)) == nil)

        let error = #expect(throws: KeyspaceError.self) { try KeyspaceRegistry.requireFamily(named: "prodcut") }
        #expect(error?.message == "unknown family 'prodcut', did you mean 'product'?")
        #expect(error?.category == .usage)
        let far = #expect(throws: KeyspaceError.self) { try KeyspaceRegistry.requireFamily(named: "zzz") }
        #expect(far?.message == "unknown family 'zzz'")
        #expect(try KeyspaceRegistry.requireFamily(named: "cart") == .cart)
    }

    @Test func markdownTableListsEveryFamily() {
        let table = KeyspaceRegistry.markdownTable()
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(table.hasSuffix("\n"))
        #expect(lines[0] == "| family | key template | TTL | tier | warmable |")
        #expect(lines[1] == "|---|---|---|---|---|")
        #expect(lines.count == 2 + 27 + 1)
        for (index, row) in designTable.enumerated() {
            let line = lines[2 + index]
            #expect(line.hasPrefix("| \(row.name) | `\(row.pattern)` | \(row.ttl) | \(row.tier.rawValue) | "), "\(line)")
            #expect(line.contains(row.warmable ? "| yes: " : "| no ("), "\(line)")
        }
        #expect(lines[2] == "| perm | `perm:{userId}:{orgId}:{resource}:{action}` | 300 s | L1 | yes: memberships × permission catalog |")
        #expect(KeyspaceRegistry.markdownTable() == table)
    }

    @Test func parameterMetadataForCompletion() {
        #expect(KeyFamily.perm.template.parameterNames == ["userId", "orgId", "resource", "action"])
        #expect(KeyFamily.adminStats.parameters.first?.kind.allValues == ["today", "week", "month"])
        #expect(KeyFamily.categoryTree.parameters.isEmpty)
        #expect(KeyFamily.jwtBlacklist.template.leadingLiterals == ["jwt", "blacklist"])
        #expect(KeyFamily.rateLimit.parameters.map(\.kind) == [.subject, .rest])
    }
}
