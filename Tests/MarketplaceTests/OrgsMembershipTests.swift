import Foundation
import Testing
import Marketplace
import Postgres
import Redis
import Support
import TestSupport

/// Membership changes against a tiny seed and a redis-server of their own (port 6490):
/// exactly the keys of (user, org) go, everything else planted around them stays.
@Suite(.serialized) struct OrgsMembershipTests {
    /// Keys a membership change of (user, org) must delete, and decoys it must keep.
    private func plantAround(_ f: AccessFixture, user: Int, org: Int, otherOrg: Int, otherMember: Int) throws
        -> (deleted: Set<String>, kept: Set<String>)
    {
        let deleted = Set(try f.permKeys(user: user, org: org)
            + ["user:orgs:\(user)", "user:\(user):orgs", "org:\(org):members", "org:\(org):stats"])
        let kept = Set(try f.permKeys(user: user, org: otherOrg) + f.permKeys(user: otherMember, org: org)
            + ["perm:\(user)0:\(org):product:read", "perm:\(user):\(org)0:product:read",
               "user:orgs:\(otherMember)", "org:\(org)", "org:\(org):products", "org:\(otherOrg):members",
               "org:\(otherOrg):stats", "org:search:abc", "refunds:org:\(org):x", "cart:\(user)", "user:\(user):sessions"]
            + unrelatedKeys)
        try f.plant(Array(deleted) + Array(kept))
        return (deleted, kept)
    }

    @Test func setRoleDeletesExactlyTheMembershipsKeysAndAudits() throws {
        let f = try AccessFixture(port: 6490, prefix: "app:")
        let (user, org, otherOrg, otherMember) = try f.userInTwoOrgs()
        let (deleted, kept) = try plantAround(f, user: user, org: org, otherOrg: otherOrg, otherMember: otherMember)
        let before = try #require(try f.role(user: user, org: org))
        let target = before == "admin" ? "viewer" : "admin"
        let position = try f.logPosition()

        let report = try f.orgs(actor: "ops-anna").setRole(orgId: org, userId: user, role: target)

        #expect(try f.role(user: user, org: org) == target)
        #expect(try f.cachedKeys() == kept)
        #expect(report.invalidation.keysNamed == deleted.count)
        #expect(report.invalidation.deletedByName == deleted.count)
        #expect(report.invalidation.sweeps.isEmpty)
        #expect(report.invalidation.families == ["perm", "user-orgs", "org-members", "org-stats"])
        // Recorded before they were deleted: exactly the membership's perm keys.
        #expect(try f.recorded(since: position)["perm"] == Set(try f.permKeys(user: user, org: org)))
        #expect(!report.dryRun)

        let rows = try f.auditRows(command: "orgs set-role")
        #expect(rows.count == 1)
        #expect(rows.first?.actor == "ops-anna")
        #expect(rows.first?.target == "org:\(org) user:\(user)")
        #expect(rows.first?.details["before"]?["role"] == .string(before))
        #expect(rows.first?.details["after"]?["role"] == .string(target))
        #expect(report.auditId != nil)
    }

    @Test func addAndRemoveMemberDeleteExactlyTheMembershipsKeys() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, otherOrg, otherMember) = try f.userInTwoOrgs()
        // A user who is not in `org` yet.
        let newcomer = try f.db.query("""
            SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM organization_users WHERE user_id = u.id AND organization_id = $1)
            AND EXISTS (SELECT 1 FROM organization_users WHERE user_id = u.id) ORDER BY id LIMIT 1
            """, [org])[0].requiredInt("id")
        let newcomerOrg = try f.db.query(
            "SELECT organization_id FROM organization_users WHERE user_id = $1 LIMIT 1", [newcomer])[0].requiredInt("organization_id")
        var (deleted, kept) = try plantAround(f, user: newcomer, org: org, otherOrg: newcomerOrg, otherMember: otherMember)

        let added = try f.orgs().addMember(orgId: org, userId: newcomer, role: "staff")
        #expect(try f.role(user: newcomer, org: org) == "staff")
        #expect(try f.cachedKeys() == kept)
        #expect(added.invalidation.deletedByName == deleted.count)

        try f.redis.command(["FLUSHDB"])
        (deleted, kept) = try plantAround(f, user: user, org: org, otherOrg: otherOrg, otherMember: otherMember)
        let removed = try f.orgs().removeMember(orgId: org, userId: user)
        #expect(try f.role(user: user, org: org) == nil)
        #expect(try f.cachedKeys() == kept)
        #expect(removed.invalidation.deletedByName == deleted.count)
        #expect(removed.change["before"]?["role"] != nil)
        #expect(removed.change["after"] == .null)
        #expect(try f.auditRows(command: "orgs add-member").count == 1)
        #expect(try f.auditRows(command: "orgs remove-member").count == 1)
    }

    /// Adding a member with the role they have changes nothing and succeeds; with another
    /// role it is a data error (that is set-role). Neither writes or deletes anything.
    @Test func addingAnExistingMemberChangesNothing() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, otherOrg, otherMember) = try f.userInTwoOrgs()
        _ = try plantAround(f, user: user, org: org, otherOrg: otherOrg, otherMember: otherMember)
        let digest = try f.databaseDigest()
        let cache = try f.cacheSnapshot()
        let current = try #require(try f.role(user: user, org: org))
        let same = try f.orgs().addMember(orgId: org, userId: user, role: current)
        #expect(same.change["unchanged"] == .bool(true))
        #expect(same.auditId == nil)
        let other = current == "viewer" ? "staff" : "viewer"
        let error = #expect(throws: WWError.self) { try f.orgs().addMember(orgId: org, userId: user, role: other) }
        #expect(error?.category == .dataError)
        #expect(error?.message.contains("already a member of org \(org) as \(current)") == true)
        #expect(try f.databaseDigest() == digest)
        #expect(try f.cacheSnapshot() == cache)
    }

    /// The org's last owner can be neither removed nor demoted without --allow-no-owner;
    /// with a second owner, either can go.
    @Test func theLastOwnerStaysUnlessAllowed() throws {
        let f = try AccessFixture(port: 6490)
        let orgs = f.orgs()
        let created = try orgs.create(name: "Owner Guard", slug: "owner-guard")
        let org = try #require(created.change["id"]?.intValue)
        let users = try f.db.query("SELECT id FROM users ORDER BY id LIMIT 3").map { try $0.requiredInt("id") }
        _ = try orgs.addMember(orgId: org, userId: users[0], role: "owner")
        _ = try orgs.addMember(orgId: org, userId: users[1], role: "staff")
        let digest = try f.databaseDigest()
        for (attempt, doing) in [
            ({ _ = try orgs.removeMember(orgId: org, userId: users[0]) }, "removing them"),
            ({ _ = try orgs.setRole(orgId: org, userId: users[0], role: "admin") }, "making them admin"),
            ({ _ = try orgs.setRole(orgId: org, userId: users[0], role: "admin", options: AccessMutationOptions(dryRun: true)) },
             "making them admin"),
        ] as [(() throws -> Void, String)] {
            let error = #expect(throws: WWError.self) { try attempt() }
            #expect(error?.category == .dataError)
            #expect(error?.message == "user \(users[0]) is the only owner of org \(org): \(doing) would leave it without one; "
                + "make another member owner first, or give --allow-no-owner")
        }
        #expect(try f.databaseDigest() == digest)
        // Another owner: the first can step down.
        _ = try orgs.setRole(orgId: org, userId: users[1], role: "owner")
        _ = try orgs.setRole(orgId: org, userId: users[0], role: "admin")
        #expect(throws: WWError.self) { try orgs.removeMember(orgId: org, userId: users[1]) }
        // And with the flag, the last one goes.
        let removed = try orgs.removeMember(orgId: org, userId: users[1], allowNoOwner: true)
        #expect(removed.auditId != nil)
        #expect(try f.role(user: users[1], org: org) == nil)
        // A member who is not an owner is never held back.
        _ = try orgs.removeMember(orgId: org, userId: users[0])
    }

    @Test func unknownThingsAreDataErrorsNamingThem() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, _, _) = try f.userInTwoOrgs()
        let digest = try f.databaseDigest()
        func message(_ body: () throws -> MutationReport) -> (ErrorCategory?, String?) {
            do {
                _ = try body()
                return (nil, nil)
            } catch let error as any CategorizedError {
                return (error.category, error.message)
            } catch {
                return (nil, "\(error)")
            }
        }
        let orgs = f.orgs()
        #expect(message { try orgs.setRole(orgId: 123_456, userId: user, role: "admin") } == (.dataError, "no org 123456"))
        #expect(message { try orgs.setRole(orgId: org, userId: 987_654, role: "admin") } == (.dataError, "no user 987654"))
        #expect(message { try orgs.addMember(orgId: org, userId: 987_654, role: "admin") } == (.dataError, "no user 987654"))
        let role = message { try orgs.setRole(orgId: org, userId: user, role: "boss") }
        #expect(role.0 == .dataError)
        #expect(role.1?.hasPrefix("no role 'boss'") == true)
        let stranger = try f.db.query("""
            SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM organization_users WHERE user_id = u.id AND organization_id = $1)
            ORDER BY id LIMIT 1
            """, [org])[0].requiredInt("id")
        #expect(message { try orgs.setRole(orgId: org, userId: stranger, role: "admin") }
            == (.dataError, "user \(stranger) is not a member of org \(org)"))
        #expect(try f.databaseDigest() == digest)
    }

    /// The role a member has, and removing a user who is not a member: successes that
    /// write no row and no audit row and delete no key.
    @Test func aMembershipAlreadyAsAskedIsUnchanged() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, otherOrg, otherMember) = try f.userInTwoOrgs()
        _ = try plantAround(f, user: user, org: org, otherOrg: otherOrg, otherMember: otherMember)
        let digest = try f.databaseDigest()
        let cache = try f.cacheSnapshot()
        let current = try #require(try f.role(user: user, org: org))
        let stranger = try f.db.query("""
            SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM organization_users WHERE user_id = u.id AND organization_id = $1)
            ORDER BY id LIMIT 1
            """, [org])[0].requiredInt("id")
        let same = try f.orgs().setRole(orgId: org, userId: user, role: current)
        #expect(same.change["after"] == .object([("role", .string(current))]))
        let absent = try f.orgs().removeMember(orgId: org, userId: stranger)
        #expect(absent.change["after"] == .null)
        for report in [same, absent] {
            #expect(report.change["unchanged"] == .bool(true))
            #expect(report.auditId == nil)
            #expect(report.invalidation.keysNamed == 0)
        }
        #expect(try f.databaseDigest() == digest)
        #expect(try f.cacheSnapshot() == cache)
    }

    @Test func dryRunsChangeNothingAndNameTheKeysTheRealRunDeletes() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, otherOrg, otherMember) = try f.userInTwoOrgs()
        let (deleted, _) = try plantAround(f, user: user, org: org, otherOrg: otherOrg, otherMember: otherMember)
        let digest = try f.databaseDigest()
        let cache = try f.cacheSnapshot()
        let position = try f.logPosition()
        let dry = AccessMutationOptions(dryRun: true)
        let newcomer = try f.db.query("""
            SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM organization_users WHERE user_id = u.id AND organization_id = $1)
            ORDER BY id LIMIT 1
            """, [org])[0].requiredInt("id")

        let setRole = try f.orgs().setRole(orgId: org, userId: user, role: "owner", options: dry)
        let remove = try f.orgs().removeMember(orgId: org, userId: user, options: dry)
        let add = try f.orgs().addMember(orgId: org, userId: newcomer, role: "viewer", options: dry)
        #expect(try f.databaseDigest() == digest)
        #expect(try f.cacheSnapshot() == cache)
        #expect(try f.logPosition() == position)
        for report in [setRole, remove, add] {
            #expect(report.dryRun)
            #expect(report.auditId == nil)
        }
        #expect(Set(setRole.invalidation.keys ?? []) == deleted)
        #expect(Set(remove.invalidation.keys ?? []) == deleted)
        #expect(setRole.change["after"]?["role"] == .string("owner"))

        let real = try f.orgs().setRole(orgId: org, userId: user, role: "owner")
        #expect(real.invalidation.deletedByName == setRole.invalidation.deletedByName)
        #expect(try f.cachedKeys().isDisjoint(with: deleted))
    }

    @Test func sweepAlsoRemovesKeysTheCatalogDoesNotName() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, otherOrg, _) = try f.userInTwoOrgs()
        try f.plant(["perm:\(user):\(org):ghost:fly", "perm:\(user):\(otherOrg):ghost:fly", "perm:\(user):\(org):product:read"])
        _ = try f.orgs().setRole(orgId: org, userId: user, role: "owner")
        #expect(try f.cachedKeys() == ["perm:\(user):\(org):ghost:fly", "perm:\(user):\(otherOrg):ghost:fly"])

        let report = try f.orgs().setRole(orgId: org, userId: user, role: "viewer", options: AccessMutationOptions(sweep: true))
        #expect(report.invalidation.sweeps.map(\.pattern) == ["perm:\(user):\(org):*:*"])
        #expect(report.invalidation.sweeps.first?.deleted == 1)
        #expect(try f.cachedKeys() == ["perm:\(user):\(otherOrg):ghost:fly"])
    }

    /// Several threads change the role of one membership at once, each on its own
    /// connections: the row lock serialises them, so the final role is the last committed
    /// change, every change has one audit row whose `before` is the previous `after`, and
    /// the cached keys are gone.
    @Test func concurrentSetRoleOnOneMembershipEndsConsistent() throws {
        let f = try AccessFixture(port: 6490)
        let (user, org, _, _) = try f.userInTwoOrgs()
        try f.plant(try f.permKeys(user: user, org: org) + ["user:orgs:\(user)"])
        let roles = ["owner", "admin", "manager", "staff", "viewer"]
        let outcomes = Outcomes()
        let databaseURL = f.database.url
        let redisURL = f.server.url(database: 0)
        let threads = 4
        let perThread = 8
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            do {
                let db = try PostgresConnection(conninfo: databaseURL, applicationName: "wwctl-tests")
                let redis = try RedisConnection(redisURL)
                defer {
                    db.close()
                    redis.close()
                }
                let service = OrgService(postgres: db, redis: redis, keyspace: keyspace(""), actor: "worker-\(worker)")
                for step in 0..<perThread {
                    let role = roles[(worker * 3 + step * 2) % roles.count]
                    // Already that role when its turn came: unchanged, no audit row.
                    let report = try service.setRole(orgId: org, userId: user, role: role, allowNoOwner: true)
                    outcomes.record(changed: report.change["unchanged"] != .bool(true))
                }
            } catch {
                outcomes.fail("\(error)")
            }
        }
        #expect(outcomes.failures.isEmpty, "\(outcomes.failures)")
        #expect(outcomes.changed + outcomes.unchanged == threads * perThread)
        let rows = try f.auditRows(command: "orgs set-role").filter { $0.target == "org:\(org) user:\(user)" }
        #expect(rows.count == outcomes.changed)
        #expect(outcomes.changed > 0)
        for (previous, next) in zip(rows, rows.dropFirst()) {
            #expect(next.details["before"] == previous.details["after"])
        }
        #expect(try rows.last?.details["after"]?["role"] == .string(#require(try f.role(user: user, org: org))))
        #expect(try f.cachedKeys().isEmpty)
    }
}

/// Results gathered from worker threads.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var changed = 0
    private(set) var unchanged = 0
    private(set) var failures: [String] = []

    func record(changed: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if changed { self.changed += 1 } else { unchanged += 1 }
    }

    func fail(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        failures.append(message)
    }
}
