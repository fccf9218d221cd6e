import Testing
import Marketplace
import Postgres
import Redis
import Support
import TestSupport

/// Permission checks against an independent SQL oracle, the cached-value comparison,
/// grants and revokes (exact perm keys of the role's holders), and the audit (port 6492).
@Suite(.serialized) struct PermsServiceTests {
    /// The rule in its plainest SQL: member, role granted the permission, org not suspended.
    private func oracle(_ f: AccessFixture, _ user: Int, _ org: Int, _ resource: String, _ action: String) throws -> Bool {
        try f.db.query("""
            SELECT EXISTS (
                SELECT 1 FROM organization_users ou
                JOIN organizations o ON o.id = ou.organization_id AND o.status <> 'suspended'
                JOIN role_permissions rp ON rp.role_id = ou.role_id
                JOIN permissions p ON p.id = rp.permission_id AND p.resource = $3 AND p.action = $4
                WHERE ou.user_id = $1 AND ou.organization_id = $2) AS allowed
            """, [user, org, resource, action])[0].requiredBool("allowed")
    }

    /// Mostly members (where the answers are interesting), some strangers, some permissions
    /// outside the catalog; one org suspended and one pending.
    private func randomTuples(_ f: AccessFixture, count: Int) throws -> [(Int, Int, String, String)] {
        var rng = SystemRandomNumberGenerator()
        let memberships = try f.db.query("SELECT user_id, organization_id FROM organization_users ORDER BY id").map {
            (try $0.requiredInt("user_id"), try $0.requiredInt("organization_id"))
        }
        let orgs = try f.db.query("SELECT id FROM organizations ORDER BY id").map { try $0.requiredInt("id") }
        let users = try f.db.query("SELECT id FROM users ORDER BY id").map { try $0.requiredInt("id") }
        let resources = ["org", "member", "product", "payout", "report", "ghost"]
        let actions = ["read", "create", "update", "delete", "fly"]
        return (0..<count).map { index in
            let (user, org) = index % 4 == 3
                ? (users.randomElement(using: &rng)!, orgs.randomElement(using: &rng)!)
                : memberships.randomElement(using: &rng)!
            return (user, org, resources.randomElement(using: &rng)!, actions.randomElement(using: &rng)!)
        }
    }

    @Test func checkAgreesWithTheSQLOracleOnRandomTuples() throws {
        let f = try AccessFixture(port: 6492)
        let orgs = try f.db.query("SELECT organization_id AS id FROM organization_users GROUP BY 1 ORDER BY 1 LIMIT 2").map { try $0.requiredInt("id") }
        _ = try f.orgs().suspend(orgs[0], reason: "oracle")
        try f.db.execute("UPDATE organizations SET status = 'pending' WHERE id = $1", [orgs[1]])
        var allowedCount = 0
        for (user, org, resource, action) in try randomTuples(f, count: 400) {
            let decision = try f.perms().check(userId: user, orgId: org, resource: resource, action: action)
            let expected = try oracle(f, user, org, resource, action)
            #expect(decision.allowed == expected, "perm \(user) \(org) \(resource):\(action)")
            if org == orgs[0] { #expect(!decision.allowed) }
            if decision.allowed { allowedCount += 1 }
            #expect(decision.chain.last == (expected ? "allowed" : "denied"))
            #expect(decision.key == "perm:\(user):\(org):\(resource):\(action)")
        }
        #expect(allowedCount > 20)  // the sample exercised both answers
        let owner = try f.db.query("""
            SELECT ou.user_id FROM organization_users ou JOIN roles r ON r.id = ou.role_id
            WHERE r.name = 'owner' AND ou.organization_id = $1
            """, [orgs[0]])[0].requiredInt("user_id")
        let suspended = try f.perms().check(userId: owner, orgId: orgs[0], resource: "org", action: "read")
        #expect(!suspended.allowed)
        #expect(suspended.reason == "org \(orgs[0]) is suspended")
        #expect(suspended.chain.contains { $0.contains("suspended") && $0.contains("oracle") })
    }

    @Test func cachedValuesAreComparedAndStaleOnesFlagged() throws {
        let f = try AccessFixture(port: 6492, prefix: "app:")
        let (user, org) = try f.holders("viewer")[0]
        // viewer: product:read yes, product:delete no.
        let cases: [(String, String, String?, Bool?, Bool)] = [
            ("read", "true", "true", true, false),
            ("read", "false", "false", false, true),
            ("delete", "false", "false", false, false),
            ("delete", "true", "true", true, true),
            ("delete", "\"yes\"", "\"yes\"", nil, true),
        ]
        for (action, value, raw, cached, stale) in cases {
            try f.plant(["perm:\(user):\(org):product:\(action)"], value: value)
            let decision = try f.perms().check(userId: user, orgId: org, resource: "product", action: action)
            #expect(decision.cachedRaw == raw)
            #expect(decision.cached == cached)
            #expect(decision.stale == stale, "\(action) cached \(value)")
            #expect(decision.key == "app:perm:\(user):\(org):product:\(action)")
        }
        try f.redis.command(["DEL", "app:perm:\(user):\(org):product:read"])
        let absent = try f.perms().check(userId: user, orgId: org, resource: "product", action: "read")
        #expect(absent.cached == nil && absent.cachedRaw == nil && !absent.stale && absent.allowed)

        #expect(#expect(throws: WWError.self) { try f.perms().check(userId: 999_999, orgId: org, resource: "product", action: "read") }?.message == "no user 999999")
        #expect(#expect(throws: WWError.self) { try f.perms().check(userId: user, orgId: 999_999, resource: "product", action: "read") }?.message == "no org 999999")
        #expect(#expect(throws: WWError.self) { try f.perms().check(userId: user, orgId: org, resource: "a:b", action: "read") }?.category == .usage)
    }

    @Test func grantAndRevokeDeleteThePermKeyOfEveryHolderAndNothingElse() throws {
        let f = try AccessFixture(port: 6492)
        let staff = try f.holders("staff")
        let others = try f.holders("manager") + f.holders("viewer")
        #expect(staff.count >= 3)
        let deleted = Set(staff.map { "perm:\($0.user):\($0.org):product:delete" })
        let kept = Set(others.map { "perm:\($0.user):\($0.org):product:delete" }
            + staff.map { "perm:\($0.user):\($0.org):product:read" }
            + staff.map { "perm:\($0.user):\($0.org):order:delete" }
            + ["perm:\(staff[0].user):\(staff[0].org)0:product:delete"] + unrelatedKeys)
        try f.plant(Array(deleted) + Array(kept), value: "false")

        let position = try f.logPosition()
        let granted = try f.perms(actor: "ops").grant(role: "staff", permission: "product:delete")
        #expect(try f.cachedKeys() == kept)
        #expect(granted.invalidation.keysNamed == staff.count)
        #expect(granted.invalidation.deletedByName == staff.count)
        #expect(granted.invalidation.sweeps.isEmpty)
        #expect(try f.recorded(since: position) == ["perm": deleted])
        #expect(granted.change["holders"] == .number(staff.count))
        #expect(try f.perms().check(userId: staff[0].user, orgId: staff[0].org, resource: "product", action: "delete").allowed
            == (try f.orgs().show(staff[0].org).status != .suspended))

        try f.plant(Array(deleted), value: "true")
        let revoked = try f.perms().revoke(role: "staff", permission: "product:delete")
        #expect(try f.cachedKeys() == kept)
        #expect(revoked.invalidation.deletedByName == staff.count)
        #expect(!(try f.perms().check(userId: staff[0].user, orgId: staff[0].org, resource: "product", action: "delete").allowed))

        let rows = try f.auditRows(command: "perms grant") + f.auditRows(command: "perms revoke")
        #expect(rows.map(\.target) == ["role:staff", "role:staff"])
        #expect(rows[0].actor == "ops")
        #expect(rows[0].details["permission"] == .string("product:delete"))
        #expect(rows[1].details["after"]?["granted"] == .bool(false))

        let digest = try f.databaseDigest()
        // Granting what the role has, revoking what it lacks: unchanged successes.
        for report in [
            try f.perms().revoke(role: "staff", permission: "product:delete"),
            try f.perms().grant(role: "staff", permission: "product:read"),
        ] {
            #expect(report.change["unchanged"] == .bool(true))
            #expect(report.auditId == nil)
            #expect(report.invalidation.keysNamed == 0)
        }
        for (body, category) in [
            ({ _ = try f.perms().grant(role: "boss", permission: "product:read") }, ErrorCategory.dataError),
            ({ _ = try f.perms().grant(role: "staff", permission: "ghost:fly") }, .dataError),
            ({ _ = try f.perms().grant(role: "staff", permission: "product") }, .usage),
            ({ _ = try f.perms().grant(role: "staff", permission: "a:b:c") }, .usage),
        ] as [(() throws -> Void, ErrorCategory)] {
            #expect(#expect(throws: WWError.self) { try body() }?.category == category)
        }
        #expect(try f.databaseDigest() == digest)

        try f.plant(Array(deleted), value: "false")
        let cache = try f.cacheSnapshot()
        let dry = try f.perms().grant(role: "staff", permission: "product:delete", options: AccessMutationOptions(dryRun: true))
        #expect(try f.databaseDigest() == digest)
        #expect(try f.cacheSnapshot() == cache)
        #expect(Set(dry.invalidation.keys ?? []) == deleted)
    }

    /// Redis gone after the grant's COMMIT: the error says the grant is committed, names
    /// its audit row and what may be stale, and the grant and its audit row stand.
    @Test func aRedisFailureAfterCommitSaysTheGrantIsCommittedAndWhatMayBeStale() throws {
        let f = try AccessFixture(port: 6492)
        let staff = try f.holders("staff")
        f.server.stop()
        do {
            _ = try f.perms(actor: "ops").grant(role: "staff", permission: "product:delete")
            Issue.record("no error with Redis gone")
        } catch let error as any CategorizedError {
            #expect(error.category == .unavailable)
            let audit = try f.auditRows(command: "perms grant")
            #expect(audit.map(\.target) == ["role:staff"])
            let auditId = try f.db.query("SELECT max(id) AS id FROM audit_log")[0].requiredInt("id")
            #expect(error.message.hasPrefix("perms grant role:staff committed (audit \(auditId)) but its cache invalidation failed: "),
                    "\(error.message)")
            #expect(error.message.hasSuffix("; \(staff.count) keys of perm may be stale"), "\(error.message)")
        }
        #expect(try f.db.query("""
            SELECT 1 FROM role_permissions rp JOIN roles r ON r.id = rp.role_id JOIN permissions p ON p.id = rp.permission_id
            WHERE r.name = 'staff' AND p.resource = 'product' AND p.action = 'delete'
            """).count == 1)
    }

    @Test func listAndRolesShowTheMatrix() throws {
        let f = try AccessFixture(port: 6492)
        let matrix = try f.perms().roles()
        #expect(matrix.roles.map(\.name) == ["owner", "admin", "manager", "staff", "viewer"])
        #expect(matrix.roles.map(\.permissions.count) == [44, 40, 26, 15, 11])
        #expect(matrix.catalog.count == 44)
        #expect(matrix.catalog.first { $0.resource == "payout" && $0.action == "create" }?.roles == ["owner"])
        #expect(matrix.roles.reduce(0) { $0 + $1.members } == 40)

        let (user, org) = try f.holders("staff")[0]
        let listed = try f.perms().list(userId: user, orgId: org)
        #expect(listed.count == 1)
        #expect(listed[0].role == "staff")
        #expect(Set(listed[0].permissions) == Set(matrix.roles[3].permissions))
        _ = try f.orgs().suspend(org, reason: "list")
        let suspended = try f.perms().list(userId: user, orgId: org)
        #expect(suspended[0].permissions.isEmpty)
        #expect(suspended[0].rolePermissions.count == 15)
        let all = try f.perms().list(userId: user)
        #expect(all.count == (try f.db.query("SELECT count(*) AS n FROM organization_users WHERE user_id = $1", [user])[0].requiredInt("n")))
        #expect(#expect(throws: WWError.self) { try f.perms().list(userId: 999_999) }?.message == "no user 999999")
    }

    @Test func auditFindsExactlyTheStaleEntriesInBatchesAndFixesThem() throws {
        let f = try AccessFixture(port: 6492, prefix: "app:")
        // Every member's whole catalog, cached with the database's answers.
        let memberships = try f.db.query("SELECT user_id, organization_id FROM organization_users ORDER BY id LIMIT 12").map {
            (try $0.requiredInt("user_id"), try $0.requiredInt("organization_id"))
        }
        var truth: [String: Bool] = [:]
        for (user, org) in memberships {
            for permission in try f.catalog() {
                let parts = permission.split(separator: ":").map(String.init)
                truth["perm:\(user):\(org):\(permission)"] = try oracle(f, user, org, parts[0], parts[1])
            }
        }
        for (key, value) in truth { try f.plant([key], value: value ? "true" : "false") }
        // Corrupt some: flipped values, a stranger's "true", garbage, and a non-string.
        let flipped = Array(truth.keys.sorted().prefix(7))
        for key in flipped { try f.plant([key], value: truth[key]! ? "false" : "true") }
        try f.plant(["perm:999999:\(memberships[0].1):product:read"], value: "true")
        try f.plant(["perm:\(memberships[0].0):\(memberships[0].1):ghost:read"], value: "false")  // not in catalog: false is right
        let garbage = "perm:\(memberships[1].0):\(memberships[1].1):org:read"
        try f.plant([garbage], value: "maybe")
        try f.plant(unrelatedKeys)
        // Outside the prefix: not the app's keys, never read.
        try f.redis.command(["SET", "perm:\(memberships[0].0):\(memberships[0].1):product:read", "maybe"])
        let expectedStale = Set(flipped + ["perm:999999:\(memberships[0].1):product:read", garbage])
        let total = truth.count + 2

        let report = try f.perms().audit(batchSize: 50)
        #expect(Set(report.stale.map(\.key)) == Set(expectedStale.map { "app:" + $0 }))
        #expect(report.staleCount == expectedStale.count)
        #expect(report.checked == total)
        #expect(report.queries == (total + 49) / 50)
        #expect(report.fixed == 0)
        #expect(!report.sampled)
        #expect(report.stale.first { $0.key == "app:" + garbage }?.cached == "maybe")

        let sample = try f.perms().audit(sample: 10, batchSize: 4)
        #expect(sample.sampled)
        #expect(sample.checked == 10)
        #expect(sample.queries == 3)

        let before = try f.cachedKeys()
        let fixed = try f.perms().audit(fix: true, batchSize: 50)
        #expect(fixed.fixed == expectedStale.count)
        #expect(try f.cachedKeys() == before.subtracting(expectedStale))
        #expect(try f.redis.command(["GET", "perm:\(memberships[0].0):\(memberships[0].1):product:read"]).string == "maybe")
        let clean = try f.perms().audit()
        #expect(clean.staleCount == 0)
        #expect(clean.checked == total - expectedStale.count)
    }

    @Test func aPermKeyHoldingANULByteIsStaleNotAnError() throws {
        let f = try AccessFixture(port: 6492)
        let (user, org) = try f.db.query("SELECT user_id, organization_id FROM organization_users ORDER BY id LIMIT 1").map {
            (try $0.requiredInt("user_id"), try $0.requiredInt("organization_id"))
        }[0]
        let nul = "perm:\(user):\(org):a\u{0}b:read"
        let right = "perm:\(user):\(org):product:read"
        try f.plant([nul], value: "true")
        try f.plant([right], value: try oracle(f, user, org, "product", "read") ? "true" : "false")
        // PostgreSQL text cannot hold the NUL: no permission is named so, the answer is false
        // without asking, and the other key of the batch is still checked.
        let report = try f.perms().audit()
        #expect(report.checked == 2)
        #expect(report.stale.map(\.key) == [nul])
        #expect(report.stale.first?.database == false)
        #expect(report.stale.first?.resource == "a\u{0}b")
        #expect(report.queries == 1)
        let fixed = try f.perms().audit(fix: true)
        #expect(fixed.fixed == 1)
        #expect(try f.cachedKeys() == [right])
        // Only such keys in a batch: no query at all.
        try f.plant([nul], value: "false")
        let alone = try f.perms().audit(batchSize: 1)
        #expect(alone.checked == 2 && alone.staleCount == 0 && alone.queries == 1)
    }
}
