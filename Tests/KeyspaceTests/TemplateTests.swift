import Keyspace
import Support
import Testing

@Suite struct TemplateTests {
    @Test func patternDisplayForm() {
        #expect(KeyFamily.perm.template.pattern == "perm:{userId}:{orgId}:{resource}:{action}")
        #expect(KeyFamily.categoryTree.template.description == "categories:tree")
    }

    @Test func renderValidatesEveryParameter() throws {
        let perm = KeyFamily.perm
        #expect(try text(unprefixed.key(perm, ["userId": "1", "orgId": "2", "resource": "product", "action": "read"]))
            == "perm:1:2:product:read")
        #expect(try text(keyspace("a:").key(perm, ["userId": "1", "orgId": "2", "resource": "product", "action": "read"]))
            == "a:perm:1:2:product:read")

        let missing = #expect(throws: KeyspaceError.self) {
            try text(unprefixed.key(perm, ["userId": "1", "orgId": "2", "resource": "product"]))
        }
        #expect(missing == .missingParameter(template: perm.pattern, name: "action"))
        #expect(missing?.category == .usage)
        #expect(missing?.message == "perm:{userId}:{orgId}:{resource}:{action}: missing parameter action")

        let unknown = #expect(throws: KeyspaceError.self) {
            try text(unprefixed.key(perm, ["userId": "1", "orgId": "2", "resource": "product", "action": "read", "user": "1"]))
        }
        #expect(unknown?.category == .usage)
        #expect(unknown?.message.contains("unknown parameter 'user' (known: userId, orgId, resource, action)") == true)

        let invalid = #expect(throws: KeyspaceError.self) {
            try text(unprefixed.key(perm, ["userId": "x", "orgId": "2", "resource": "product", "action": "read"]))
        }
        #expect(invalid == .invalidParameter(template: perm.pattern, name: "userId", value: "x", expected: "an integer id"))
        #expect(invalid?.category == .dataError)
        #expect(invalid?.message == "perm:{userId}:{orgId}:{resource}:{action}: parameter userId must be an integer id, got 'x'")

        let colon = #expect(throws: KeyspaceError.self) {
            try text(unprefixed.key(perm, ["userId": "1", "orgId": "2", "resource": "a:b", "action": "read"]))
        }
        #expect(colon?.message.contains("parameter resource must be non-empty text without ':', got 'a:b'") == true)

        #expect(throws: KeyspaceError.self) {
            try text(unprefixed.key(perm, ["userId": "1", "orgId": "2", "resource": "", "action": "read"]))
        }
        #expect(throws: KeyspaceError.self) { try text(unprefixed.key(KeyFamily.categoryTree, ["x": "1"])) }
        #expect(try text(unprefixed.key(KeyFamily.categoryTree, [:])) == "categories:tree")
    }

    @Test func errorMessagesStayOnOneLine() {
        let value = "a\nb\r\t'\\\u{7}" + String(repeating: "z", count: 500)
        let error = KeyspaceError.invalidParameter(template: "cart:{userId}", name: "userId", value: value, expected: "an integer id")
        #expect(!error.message.contains("\n"))
        #expect(error.message.contains("'a\\nb\\r\\t\\'\\\\\\u{7}zzz"))
        #expect(error.message.hasSuffix("…'"))
        #expect(error.message.count < 200)
    }

    @Test func integerIds() {
        let kind = ParameterKind.integer
        for good in ["0", "1", "42", "9223372036854775807", "1000000"] { #expect(kind.accepts(good), "\(good)") }
        for bad in ["", "-1", "+1", "01", "00", "1.0", "1e3", " 1", "1 ", "9223372036854775808",
                    "99999999999999999999", "0x10", "١", "x"] {
            #expect(!kind.accepts(bad), "\(bad)")
        }
    }

    @Test func months() {
        let kind = ParameterKind.month
        for good in ["2025-01", "2025-12", "1999-10"] { #expect(kind.accepts(good)) }
        for bad in ["2025-00", "2025-13", "2025-1", "25-01", "2025/01", "2025-01-01", "202501", "abcd-01", ""] {
            #expect(!kind.accepts(bad), "\(bad)")
        }
    }

    @Test func enumerations() {
        let kind = ParameterKind.enumeration(["today", "week", "month"])
        #expect(kind.accepts("today") && kind.accepts("week") && kind.accepts("month"))
        #expect(!kind.accepts("Today") && !kind.accepts("year") && !kind.accepts("") && !kind.accepts("today:"))
        #expect(kind.description == "one of today, week, month")
    }

    @Test func tokensAndRest() {
        #expect(ParameterKind.token.accepts("eyJ.eyJ.sig"))
        #expect(ParameterKind.token.accepts("abc-def-ghi"))
        #expect(!ParameterKind.token.accepts("a:b"))
        #expect(!ParameterKind.token.accepts(""))
        #expect(ParameterKind.rest.accepts("POST:/api/orders"))
        #expect(!ParameterKind.rest.accepts(""))
    }

    @Test func subjects() {
        let kind = ParameterKind.subject
        for good in ["123", "10.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1",
                     "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:10.0.0.1", "fe80::1%eth0", "1::", "a:b:c:d:e:f:0:1"] {
            #expect(kind.accepts(good), "\(good)")
        }
        for bad in ["", "alice", "10.0.0", "10.0.0.1.2", "10.0.0.256", "10.0.0.01", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
                    ":1", "1:", "1:::2", "1::2::3", "12345::1", "g::1", "::1%", "::1%a:b", "1.2.3.4::1", "01"] {
            #expect(!kind.accepts(bad), "\(bad)")
        }
    }

    @Test func rateLimitRenderRefusesAmbiguousSplits() throws {
        let family = KeyFamily.rateLimit
        #expect(try text(unprefixed.key(family, ["subject": "123", "endpoint": "POST:/api/orders"])) == "ratelimit:123:POST:/api/orders")
        #expect(try text(unprefixed.key(family, ["subject": "::1", "endpoint": "POST:/api/orders"])) == "ratelimit:::1:POST:/api/orders")
        // An IPv6 subject needs an endpoint that starts with a method or a path.
        let error = #expect(throws: KeyspaceError.self) { try text(unprefixed.key(family, ["subject": "::1", "endpoint": "orders"])) }
        #expect(error == .ambiguousKey(template: family.pattern, key: "ratelimit:::1:orders"))
        #expect(error?.category == .dataError)
        // "123" then "x:POST:/y" reads back the same (first valid split wins).
        #expect(try text(unprefixed.key(family, ["subject": "123", "endpoint": "x:POST:/y"])) == "ratelimit:123:x:POST:/y")
        #expect(throws: KeyspaceError.self) { try text(unprefixed.key(family, ["subject": "alice", "endpoint": "/a"])) }
    }

    @Test func jsNumberForm() {
        func js(_ text: String) -> String? { JSNumberForm.string(fromDecimalText: text) }
        #expect(js("1000") == "1000")
        #expect(js("1000.00") == "1000")
        #expect(js("19.99") == "19.99")
        #expect(js("19.90") == "19.9")
        #expect(js("20.00") == "20")
        #expect(js("0.50") == "0.5")
        #expect(js(".5") == "0.5")
        #expect(js("0") == "0")
        #expect(js("0.00") == "0")
        #expect(js("0.000001") == "0.000001")
        #expect(js("0.0000001") == nil)  // JS prints 1e-7
        #expect(js("100000000000000000000") == "100000000000000000000")
        #expect(js("1000000000000000000000") == nil)  // JS prints 1e+21
        #expect(js("123456789012345") == "123456789012345")
        #expect(js("1234567890.12345") == "1234567890.12345")
        #expect(js("1234567890123456") == nil)  // beyond a double's exact digits
        #expect(js("-5") == nil)
        #expect(js("abc") == nil)
        #expect(js("1e3") == nil)
        #expect(JSNumberForm.string(from: ExactDecimal(coefficient: 1999, scale: 2)) == "19.99")
        #expect(JSNumberForm.isCanonical("19.99"))
        #expect(!JSNumberForm.isCanonical("19.990"))
        #expect(!JSNumberForm.isCanonical("+1"))
        #expect(!JSNumberForm.isCanonical("01"))
        #expect(!JSNumberForm.isCanonical(""))
    }

    @Test func commissionRendersPricesAsTheApp() throws {
        let family = KeyFamily.commission
        #expect(try text(unprefixed.key(family, ["productId": "789", "price": "1000"])) == "commission:789:1000")
        #expect(try text(unprefixed.key(family, ["productId": "789", "price": "20.00"])) == "commission:789:20")
        #expect(try text(unprefixed.key(family, ["productId": "789", "price": "19.99"])) == "commission:789:19.99")
        #expect(throws: KeyspaceError.self) { try text(unprefixed.key(family, ["productId": "789", "price": "-1"])) }
        #expect(throws: KeyspaceError.self) { try text(unprefixed.key(family, ["productId": "789", "price": "cheap"])) }
    }

    @Test func ttlPolicies() {
        let stats = KeyFamily.adminStats.ttl
        #expect(stats.seconds(for: ["period": "today"]) == 300)
        #expect(stats.seconds(for: ["period": "week"]) == 3600)
        #expect(stats.seconds(for: ["period": "month"]) == 3600)
        #expect(stats.seconds(for: [:]) == 3600)
        #expect(stats.seconds(for: [KeyParam("period", "today")]) == 300)
        #expect(stats.maxSeconds == 3600)
        #expect(stats.requiresTTL)

        let jwt = KeyFamily.jwtBlacklist.ttl
        #expect(jwt == .untilTokenExpiry)
        #expect(jwt.seconds(for: ["token": "a.b.c"]) == nil)
        #expect(jwt.maxSeconds == nil)
        #expect(jwt.requiresTTL)
        #expect(TTLPolicy.secondsUntilExpiry(expiresAt: 1_700_000_900, now: 1_700_000_000) == 900)
        #expect(TTLPolicy.secondsUntilExpiry(expiresAt: 1_700_000_000, now: 1_700_000_000) == nil)
        #expect(TTLPolicy.secondsUntilExpiry(expiresAt: 1, now: 2) == nil)

        let perm = KeyFamily.perm.ttl
        #expect(perm == .fixed(seconds: 300))
        #expect(perm.seconds(for: [:]) == 300)
        #expect(perm.maxSeconds == 300)

        #expect(TTLPolicy.none.seconds(for: [:]) == nil)
        #expect(TTLPolicy.none.maxSeconds == nil)
        #expect(!TTLPolicy.none.requiresTTL)
        #expect(TTLPolicy.none.description == "none")

        let higher = TTLPolicy.perParameter(name: "p", values: ["a": 10, "b": 9000], otherwise: 60)
        #expect(higher.maxSeconds == 9000)
        #expect(higher.description == "10 s when p=a, 9000 s when p=b, else 60 s")

        #expect(KeyFamily.shippingRates.ttl.seconds(for: [:]) == 21600)
        #expect(KeyFamily.session.ttl.seconds(for: [:]) == 86400)
        #expect(KeyFamily.stock.ttl.seconds(for: [:]) == 120)
        #expect(KeyFamily.rateLimit.ttl.seconds(for: [:]) == 60)
    }
}
