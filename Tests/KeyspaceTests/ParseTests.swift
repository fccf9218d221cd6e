import Keyspace
import Testing

private func parse(_ key: String, in space: BoundKeyspace = unprefixed) -> ParsedKey {
    space.parse(key)
}

private func familyName(_ key: String, in space: BoundKeyspace = unprefixed) -> String? {
    parse(key, in: space).family?.name
}

@Suite struct ParseTests {
    @Test func orgAmbiguities() {
        #expect(parse("org:42") == .family(.org, params: [KeyParam("orgId", "42")]))
        #expect(parse("org:search:abc") == .family(.orgSearch, params: [KeyParam("filterHash", "abc")]))
        #expect(familyName("org:42:members") == "org-members")
        #expect(familyName("org:42:stats") == "org-stats")
        #expect(familyName("org:42:products") == "org-products")
        // A filter hash that looks like a sub-resource is still a search.
        #expect(familyName("org:search:members") == "org-search")
        #expect(familyName("org:search:42:members") == "org-search")
        // "search" is not an org id, and an org has no such sub-key.
        #expect(parse("org:search") == .unknown)
        #expect(parse("org:search:") == .unknown)
        #expect(parse("org:42:settings") == .unknown)
        #expect(parse("org:42:members:extra") == .unknown)
        #expect(parse("org:") == .unknown)
        #expect(parse("org") == .unknown)
    }

    @Test func userAmbiguities() {
        #expect(parse("user:orgs:7") == .family(.userOrgs, params: [KeyParam("userId", "7")]))
        let legacy = parse("user:7:orgs")
        #expect(legacy == .legacy(aliasOf: .userOrgs, params: [KeyParam("userId", "7")], form: .userOrgsReversed))
        #expect(unprefixed.canonicalKey(of: legacy) == Array("user:orgs:7".utf8))
        #expect(keyspace("p:").canonicalKey(of: legacy) == Array("p:user:orgs:7".utf8))
        #expect(unprefixed.canonicalKey(of: .unknown) == nil)
        #expect(parse("user:7:sessions") == .family(.userSessions, params: [KeyParam("userId", "7")]))
        #expect(parse("user:orgs:sessions") == .unknown)
        #expect(parse("user:sessions:7") == .unknown)
        #expect(parse("user:7") == .unknown)
        #expect(parse("user:orgs:07") == .unknown)
    }

    @Test func productAndCategoryAmbiguities() {
        #expect(parse("product:9") == .family(.product, params: [KeyParam("productId", "9")]))
        #expect(familyName("product:9:with-variants") == "product-variants")
        #expect(parse("product:9:variants") == .unknown)
        #expect(parse("product:with-variants") == .unknown)
        #expect(familyName("category:3:products") == "category-products")
        #expect(parse("categories:tree") == .family(.categoryTree, params: []))
        #expect(parse("category:tree") == .unknown)
        #expect(parse("categories:3:products") == .unknown)
        #expect(parse("categories:tree:1") == .unknown)
    }

    @Test func attributeAmbiguities() {
        #expect(parse("attr:entity:product") == .family(.attrEntity, params: [KeyParam("entityType", "product")]))
        #expect(parse("attr:12") == .family(.attr, params: [KeyParam("attrId", "12")]))
        #expect(parse("attr:entity") == .unknown)
        #expect(parse("attr:entity:product:x") == .unknown)
        // attribute definitions for the "payment" entity are not a cached payment
        #expect(familyName("attr:entity:payment") == "attr-entity")
    }

    @Test func rateLimitSubjectsAndEndpoints() {
        func split(_ key: String) -> [String: String]? {
            let parsed = parse(key)
            guard parsed.family == .rateLimit else { return nil }
            return parsed.paramDictionary
        }
        #expect(split("ratelimit:123:POST:/api/orders") == ["subject": "123", "endpoint": "POST:/api/orders"])
        #expect(split("ratelimit:10.0.0.1:POST:/api/orders") == ["subject": "10.0.0.1", "endpoint": "POST:/api/orders"])
        #expect(split("ratelimit:::1:POST:/api/orders") == ["subject": "::1", "endpoint": "POST:/api/orders"])
        #expect(split("ratelimit:2001:db8::1:GET:/x") == ["subject": "2001:db8::1", "endpoint": "GET:/x"])
        #expect(split("ratelimit:fe80::1%eth0:/api") == ["subject": "fe80::1%eth0", "endpoint": "/api"])
        #expect(split("ratelimit:123:/api/orders/:id") == ["subject": "123", "endpoint": "/api/orders/:id"])
        #expect(split("ratelimit:::ffff:10.0.0.1:/a") == ["subject": "::ffff:10.0.0.1", "endpoint": "/a"])
        // No method or path: the subject is the first segment.
        #expect(split("ratelimit:123:orders") == ["subject": "123", "endpoint": "orders"])
        #expect(split("ratelimit:123:x:POST:/y") == ["subject": "123", "endpoint": "x:POST:/y"])
        // A method-looking segment inside the endpoint does not move the boundary back.
        #expect(split("ratelimit:123:POST:/a:GET") == ["subject": "123", "endpoint": "POST:/a:GET"])
        // Lower-case methods are not methods.
        #expect(split("ratelimit:123:post:/a") == ["subject": "123", "endpoint": "post:/a"])
        // Not subjects: a name, an IPv4 with a leading zero or a 256, a broken IPv6.
        #expect(parse("ratelimit:alice:POST:/a") == .unknown)
        #expect(parse("ratelimit:10.0.0.01:POST:/a") == .unknown)
        #expect(parse("ratelimit:10.0.0.256:POST:/a") == .unknown)
        #expect(parse("ratelimit:zz::1:POST:/a") == .unknown)
        // An invalid IPv6 before a method falls back to a one-segment subject.
        #expect(split("ratelimit:1:::2:POST:/a") == ["subject": "1", "endpoint": "::2:POST:/a"])
        #expect(parse("ratelimit:::1:orders") == .unknown)
        #expect(parse("ratelimit:123") == .unknown)
        #expect(parse("ratelimit:123:") == .unknown)
        #expect(parse("ratelimit::POST:/a") == .unknown)
    }

    @Test func otherFamiliesParameters() {
        #expect(parse("jwt:blacklist:aaa.bbb.ccc").paramDictionary == ["token": "aaa.bbb.ccc"])
        #expect(parse("jwt:blacklist:aaa:bbb") == .unknown)
        #expect(parse("jwt:blacklist:") == .unknown)
        #expect(parse("shipping:rates:US:DE").paramDictionary == ["origin": "US", "destination": "DE"])
        #expect(parse("shipping:rates:US:DE:FR") == .unknown)
        #expect(parse("refunds:org:5:abc:def").paramDictionary == ["orgId": "5", "filterHash": "abc:def"])
        #expect(parse("refunds:org:x:abc") == .unknown)
        #expect(parse("vendor:5:earnings:2025-01").paramDictionary == ["orgId": "5", "month": "2025-01"])
        #expect(parse("vendor:5:earnings:2025-13") == .unknown)
        #expect(parse("vendor:5:earnings:2025-1") == .unknown)
        #expect(parse("vendor:5:earnings:202501") == .unknown)
        #expect(parse("order:1:vendor:2:items").paramDictionary == ["orderId": "1", "orgId": "2"])
        #expect(parse("order:1:vendor:2") == .unknown)
        #expect(parse("admin:stats:year") == .unknown)
        #expect(parse("admin:stats:Today") == .unknown)
        #expect(parse("admin:revenue:week").family == .adminRevenue)
        #expect(parse("admin:top-products:10").family == .adminTopProducts)
        #expect(parse("admin:top-products:ten") == .unknown)
        #expect(parse("commission:5:19.99").paramDictionary == ["productId": "5", "price": "19.99"])
        #expect(parse("commission:5:20").family == .commission)
        // Not what the app's JS would print.
        #expect(parse("commission:5:20.00") == .unknown)
        #expect(parse("commission:5:19.90") == .unknown)
        #expect(parse("commission:5:020") == .unknown)
        #expect(parse("commission:5:.5") == .unknown)
        #expect(parse("commission:5:-1") == .unknown)
        #expect(parse("commission:5:1e3") == .unknown)
        #expect(parse("session:abc-def-ghi").paramDictionary == ["sessionId": "abc-def-ghi"])
        #expect(parse("session:a:b") == .unknown)
    }

    @Test func keyPrefix() {
        let key = "myapp:perm:1:2:product:read"
        #expect(familyName(key, in: keyspace("myapp:")) == "perm")
        #expect(parse(key, in: keyspace("myapp:")).paramDictionary["userId"] == "1")
        // Without the prefix the key is nothing we know.
        #expect(parse(key) == .unknown)
        // A prefix that does not match.
        #expect(parse("perm:1:2:product:read", in: keyspace("myapp:")) == .unknown)
        #expect(parse("other:perm:1:2:product:read", in: keyspace("myapp:")) == .unknown)
        #expect(parse("myapp", in: keyspace("myapp:")) == .unknown)
        #expect(parse("myapp:", in: keyspace("myapp:")) == .unknown)
        // A prefix without a colon is a plain byte prefix.
        #expect(familyName("v2perm:1:2:product:read", in: keyspace("v2")) == "perm")
        // Prefix matching is byte-wise, not by Unicode equivalence.
        #expect(familyName("e\u{301}:cart:1", in: keyspace("\u{e9}:")) == nil)
        #expect(familyName("\u{e9}:cart:1", in: keyspace("\u{e9}:")) == "cart")
    }

    @Test func hostileInputs() {
        let unknown = [
            "", ":", "::", ":::::::", "perm", "perm:", "perm:1:2:product", "perm:1:2:product:read:",
            "perm:x:2:product:read", "perm:1:y:product:read", "perm:-1:2:product:read", "perm:+1:2:product:read",
            "perm:01:2:product:read", "perm:1.0:2:product:read", "perm:1:2::read", "perm:1:2:product:",
            "perm:99999999999999999999:2:product:read", "perm:9223372036854775808:2:product:read",
            "perm:*:2:product:read", "product:*", "product:?", "product:[1]",
            "product:\\1", "Product:1", "PERM:1:2:product:read", " perm:1:2:product:read", "perm :1:2:product:read",
            "cart:1 ", "cart:١", "cart:１", "stock:", ":stock:1", "stock::1", "categories:tree:",
            "\u{0}", "cart:1\u{0}", "\u{1F600}:1", "日本:1",
        ]
        for key in unknown {
            #expect(parse(key) == .unknown, "\(key.debugDescription)")
        }
        // Values that only look odd are fine where the kind allows them.
        #expect(familyName("perm:1:2:pröduct:réad") == "perm")
        #expect(familyName("perm:1:2:*:?") == "perm")
        #expect(familyName("perm:1:2:product:read*") == "perm")
        #expect(familyName("session:\u{1F600}") == "session")
        #expect(familyName("org:search:*") == "org-search")
        // Very long keys.
        let long = String(repeating: "a", count: 1_000_000)
        #expect(familyName("session:" + long) == "session")
        #expect(parse("perm:" + long) == .unknown)
        #expect(familyName("refunds:org:1:" + String(repeating: ":", count: 100_000)) == "refunds")
        #expect(parse(String(repeating: ":", count: 100_000)) == .unknown)
        #expect(parse("ratelimit:" + String(repeating: "1:", count: 20_000)).family == .rateLimit)
        #expect(parse("cart:" + String(repeating: "9", count: 100_000)) == .unknown)
    }

    @Test func binaryKeys() {
        #expect(unprefixed.parse([0xFF, 0xFE]) == .unknown)
        #expect(unprefixed.parse(Array("session:".utf8) + [0xC3]) == .unknown)
        #expect(unprefixed.parse(Array("session:".utf8) + [0xED, 0xA0, 0x80]) == .unknown)
        #expect(unprefixed.parse(Array("payment:".utf8) + [0xFF]) == .unknown)
        #expect(unprefixed.parse([]) == .unknown)
        #expect(unprefixed.parse(Array("cart:12".utf8)).family == .cart)
        #expect(unprefixed.parse(Array("session:a\nb".utf8)).paramDictionary == ["sessionId": "a\nb"])
        #expect(keyspace("x:").parse(Array("x:cart:12".utf8)).family == .cart)
    }

    @Test func separatorsAreBytes() {
        // A ':' followed by a combining mark is one Character for Swift but still a
        // separator for Redis and the app.
        let key = "perm:1:2:product:\u{301}read"
        #expect(parse(key).paramDictionary == ["userId": "1", "orgId": "2", "resource": "product", "action": "\u{301}read"])
        // Canonically equivalent but different bytes are different values.
        #expect(parse("attr:entity:caf\u{e9}").paramDictionary["entityType"] == "caf\u{e9}")
        let decomposed = parse("attr:entity:cafe\u{301}").value(of: "entityType")
        #expect(decomposed.map { Array($0.utf8) } == Array("cafe\u{301}".utf8))
    }

    @Test func forbiddenFinancialKeys() {
        let cases: [(String, FinancialRule)] = [
            ("vendor:5:balance", FinancialPolicy.vendorBalance),
            ("vendor:5:balance:pending", FinancialPolicy.vendorBalance),
            ("vendor:5:balances", FinancialPolicy.vendorBalance),
            ("balance:5", FinancialPolicy.vendorBalance),
            ("org:5:balance", FinancialPolicy.vendorBalance),
            ("payout:9", FinancialPolicy.payout),
            ("payouts:org:5", FinancialPolicy.payout),
            ("payouts", FinancialPolicy.payout),
            ("vendor:5:payouts", FinancialPolicy.payout),
            ("payment:abc", FinancialPolicy.payment),
            ("payments:recent", FinancialPolicy.payment),
            ("order:7:payment", FinancialPolicy.payment),
            ("Payment:abc", FinancialPolicy.payment),
            ("balance-transactions:5", FinancialPolicy.balanceTransaction),
            ("balance_transactions:5", FinancialPolicy.balanceTransaction),
            ("balanceTransactions:5", FinancialPolicy.balanceTransaction),
            ("vendor:5:balance-transactions", FinancialPolicy.balanceTransaction),
        ]
        for (key, rule) in cases {
            #expect(parse(key) == .forbidden(rule: rule), "\(key)")
            #expect(parse("myapp:" + key, in: keyspace("myapp:")) == .forbidden(rule: rule), "\(key)")
        }
        // The documented exception and near misses.
        #expect(familyName("vendor:5:earnings:2025-10") == "vendor-earnings")
        #expect(parse("vendor:5:earnings") == .unknown)
        #expect(parse("vendor:5:balanced") == .unknown)
        #expect(parse("paymentsx:1") == .unknown)
        #expect(parse("pay:1") == .unknown)
        #expect(familyName("org:search:payments") == "org-search")
        #expect(familyName("session:payment") == "session")
        // With a prefix, an unprefixed financial key is outside the app's namespace.
        #expect(parse("payment:1", in: keyspace("myapp:")) == .unknown)
        #expect(FinancialPolicy.rules.map(\.id) == [
            "cached-vendor-balance", "cached-payout", "cached-payment", "cached-balance-transaction",
        ])
        #expect(FinancialPolicy.rule(forBody: "vendor:1:earnings:2025-01") == nil)
    }

    @Test func legacyForms() {
        #expect(KeyspaceRegistry.standard.legacyForms.map(\.form) == ["user:{userId}:orgs"])
        #expect(LegacyForm.userOrgsReversed.canonicalFamily == "user-orgs")
        #expect(parse("p:user:9:orgs", in: keyspace("p:")).isLegacy)
        #expect(parse("user:x:orgs") == .unknown)
        let matches = KeyspaceRegistry.standard.allMatches("user:9:orgs")
        #expect(matches.count == 1)
    }
}

@Suite struct InternalKeyTests {
    @Test func wwctlBookkeepingIsInternalNotUnknown() {
        let app = keyspace("app:")
        #expect(unprefixed.parse(unprefixed.epochKey(slot: 12739)) == .internal(kind: "epochs"))
        #expect(app.parse(app.changeLogKey) == .internal(kind: "epochs"))
        #expect(app.parse(app.lockKey(scope: "org:7")) == .internal(kind: "lock"))
        #expect(app.epochKey(slot: 12739) == Array("app:wwctl:epochs:{74C}".utf8))
        #expect(app.changeLogKey == Array("app:wwctl:epochs:log".utf8))
        #expect(app.lockKey(scope: "warm:all") == Array("app:wwctl:lock:warm:all".utf8))
        #expect(app.internalKeysHead == Array("app:wwctl:".utf8))
        #expect(unprefixed.parse("wwctl:") == .unknown)
        #expect(unprefixed.parse("wwctlx:epoch:perm") == .unknown)
        #expect(keyspace("app:").parse("wwctl:lock:x") == .unknown)
    }
}

@Suite struct RateLimitSelectorTests {
    @Test func aFixedSubjectSelectsOnlyKeysParseReadsAsThatSubject() throws {
        let seven = try unprefixed.selector(.rateLimit, params: ["subject": "7"])
        #expect(seven.matches("ratelimit:7:GET:/x"))
        #expect(seven.matches("ratelimit:7:POST:/api/orders"))
        #expect(!seven.matches("ratelimit:7::1:GET:/x"))
        #expect(!seven.matches("ratelimit:70:GET:/x"))
        for key in ["ratelimit:7::1:GET:/x", "ratelimit:7:GET:/x", "ratelimit:2001:db8::1:POST:/a"] {
            let subject = unprefixed.parse(key).value(of: "subject")!
            let selector = try unprefixed.selector(.rateLimit, params: ["subject": subject])
            #expect(selector.matches(key), "\(key) not selected by its own subject \(subject)")
        }
    }
}
