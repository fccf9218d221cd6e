import Testing
import Marketplace
import Postgres
import Redis
import Support
import TestSupport

/// Organization changes (port 6491): the org's keys, org:search:*, and every member's
/// keys in that org go; members' keys in other orgs and everything else stay.
@Suite(.serialized) struct OrgsLifecycleTests {
    /// An org with at least two members who also belong to other orgs, if the seed has one.
    private func busyOrg(_ f: AccessFixture) throws -> Int {
        try f.db.query("""
            SELECT organization_id FROM organization_users a
            GROUP BY organization_id
            ORDER BY count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM organization_users b WHERE b.user_id = a.user_id AND b.organization_id <> a.organization_id)) DESC,
                count(*) DESC, organization_id
            LIMIT 1
            """)[0].requiredInt("organization_id")
    }

    private func plantForOrg(_ f: AccessFixture, org: Int) throws -> (deleted: Set<String>, kept: Set<String>) {
        let members = try f.members(org)
        var deleted: Set<String> = ["org:\(org)", "org:\(org):members", "org:\(org):stats", "org:\(org):products",
                                    "org:search:abc", "org:search:q=x:y", "refunds:org:\(org):h1"]
        var kept: Set<String> = ["org:\(org)0", "org:\(org + 1):members", "refunds:org:\(org)0:h1", "refunds:org:\(org + 1):h",
                                 "org:\(org + 1)", "user:orgs:999999"]
        kept.formUnion(unrelatedKeys)
        for member in members {
            deleted.formUnion(try f.permKeys(user: member, org: org))
            deleted.formUnion(["user:orgs:\(member)", "user:\(member):orgs"])
            kept.formUnion(["perm:\(member):\(org + 1):product:read", "perm:\(member):\(org)0:product:read",
                            "cart:\(member)", "user:\(member):sessions"])
        }
        // A non-member's cached answer in this org was "no" and stays "no".
        kept.insert("perm:999999:\(org):product:read")
        try f.plant(Array(deleted) + Array(kept))
        return (deleted, kept)
    }

    @Test func updateSuspendActivateDeleteTheOrgsAndItsMembersKeysOnly() throws {
        let f = try AccessFixture(port: 6491)
        let org = try busyOrg(f)
        #expect(try f.members(org).count >= 2)

        var (deleted, kept) = try plantForOrg(f, org: org)
        let renamed = try f.orgs(actor: "ops").update(org, name: "Renamed; 'quoted' — ü")
        #expect(try f.cachedKeys() == kept)
        #expect(renamed.invalidation.deletedByName == deleted.count - 3)  // the three swept keys are not named
        #expect(Set(renamed.invalidation.sweeps.map(\.pattern)) == ["org:search:*", "refunds:org:\(org):*"])
        #expect(renamed.invalidation.sweeps.reduce(0) { $0 + $1.deleted } == 3)
        #expect(try f.orgs().show(org).name == "Renamed; 'quoted' — ü")

        try f.redis.command(["FLUSHDB"])
        (deleted, kept) = try plantForOrg(f, org: org)
        let suspended = try f.orgs().suspend(org, reason: "chargebacks; see ticket #12")
        #expect(try f.cachedKeys() == kept)
        #expect(suspended.change["after"]?["status"] == .string("suspended"))
        let shown = try f.orgs().show(org)
        #expect(shown.status == .suspended)
        #expect(shown.suspendedReason == "chargebacks; see ticket #12")
        #expect(shown.suspendedAt != nil)

        try f.redis.command(["FLUSHDB"])
        (deleted, kept) = try plantForOrg(f, org: org)
        _ = try f.orgs().activate(org)
        #expect(try f.cachedKeys() == kept)
        let active = try f.orgs().show(org)
        #expect(active.status == .active)
        #expect(active.suspendedReason == nil && active.suspendedAt == nil)

        let rows = try ["orgs update", "orgs suspend", "orgs activate"].map { try f.auditRows(command: $0) }
        #expect(rows.map(\.count) == [1, 1, 1])
        #expect(rows[0].first?.actor == "ops")
        #expect(rows[0].first?.details["after"]?["name"] == .string("Renamed; 'quoted' — ü"))
        #expect(rows[1].first?.details["before"]?["status"] == .string("active"))
        #expect(rows[2].first?.target == "org:\(org)")
    }

    /// A transition to the state the org is in succeeds and changes nothing (no row, no
    /// audit row, no invalidation), so a retried runbook step passes.
    @Test func transitionsToTheCurrentStateChangeNothingAndMissingOrgsAreDataErrors() throws {
        let f = try AccessFixture(port: 6491)
        let org = try busyOrg(f)
        _ = try f.orgs().suspend(org, reason: "first")
        try f.plant(["org:\(org)", "org:\(org):members"])
        let digest = try f.databaseDigest()
        let cache = try f.cacheSnapshot()
        let again = try f.orgs().suspend(org, reason: "again")
        #expect(again.change["unchanged"] == .bool(true))
        #expect(again.change["after"]?["suspendedReason"] == .string("first"))
        let sameName = try f.orgs().update(org, name: try f.orgs().show(org).name)
        for report in [again, sameName] {
            #expect(report.change["unchanged"] == .bool(true))
            #expect(report.auditId == nil)
            #expect(report.invalidation.keysNamed == 0)
        }
        #expect(try f.databaseDigest() == digest)
        #expect(try f.cacheSnapshot() == cache)
        _ = try f.orgs().activate(org)
        let active = try f.orgs().activate(org)
        #expect(active.change["unchanged"] == .bool(true))
        #expect(active.change["after"] == .object([("status", .string("active"))]))
        #expect(active.auditId == nil)
        #expect(try f.orgs().show(org).suspendedReason == nil)
        let missing = #expect(throws: WWError.self) { try f.orgs().suspend(404_404, reason: "x") }
        #expect(missing?.message == "no org 404404")
        #expect(#expect(throws: WWError.self) { try f.orgs().show(404_404) }?.category == .dataError)
        #expect(#expect(throws: WWError.self) { try f.orgs().members(404_404) }?.message == "no org 404404")
        let blank = #expect(throws: WWError.self) { try f.orgs().suspend(org, reason: "  ") }
        #expect(blank?.category == .usage)
        let nothing = #expect(throws: WWError.self) { try f.orgs().update(org) }
        #expect(nothing?.category == .usage)
    }

    @Test func aNewRateInvalidatesTheCommissionKeysOfProductsWhoseEffectiveRateMoves() throws {
        let f = try AccessFixture(port: 6491)
        let org = try busyOrg(f)
        let other = try f.db.query("SELECT id FROM organizations WHERE id <> $1 ORDER BY id LIMIT 1", [org])[0].requiredInt("id")
        func rates(_ org: Int) throws -> [Int: String] {
            var out: [Int: String] = [:]
            for row in try f.db.query("SELECT id, effective_commission_rate(id)::text AS r FROM products WHERE organization_id = $1", [org]) {
                out[try row.requiredInt("id")] = try row.requiredString("r")
            }
            return out
        }
        let before = try rates(org)
        let current = try f.orgs().show(org).commissionRate
        let newRate = current == ExactDecimal("0.3333")! ? ExactDecimal("0.2222")! : ExactDecimal("0.3333")!
        let ownKeys = before.keys.flatMap { ["commission:\($0):19.99", "commission:\($0):20"] }
        let otherProducts = try rates(other).keys.prefix(5)
        let otherKeys = otherProducts.map { "commission:\($0):19.99" }
        try f.plant(ownKeys + otherKeys)

        let report = try f.orgs().update(org, commissionRate: newRate)
        let after = try rates(org)
        let moved = Set(after.filter { before[$0.key] != $0.value }.map(\.key))
        #expect(!moved.isEmpty)
        let expectedGone = Set(moved.flatMap { ["commission:\($0):19.99", "commission:\($0):20"] })
        let remaining = try f.cachedKeys()
        #expect(remaining.isDisjoint(with: expectedGone))
        #expect(remaining == Set(ownKeys + otherKeys).subtracting(expectedGone))
        #expect(report.change["productsWithNewRate"] == .number(moved.count))
        // One walk for all of them.
        #expect(report.invalidation.sweeps.filter { $0.pattern == "commission:*:*" }.count == 1)
        #expect(try f.orgs().show(org).commissionRate == newRate)
    }

    @Test func createStoresWhatWasTypedAndValidatesTheRest() throws {
        let f = try AccessFixture(port: 6491)
        try f.plant(["org:search:all", "org:1"])
        let name = "O'Brien; DROP TABLE organizations; -- \"Ünïcødé\" 🚀"
        let dry = try f.orgs().create(name: name, slug: "obrien-sons", commissionRate: ExactDecimal("0.125"),
                                      options: AccessMutationOptions(dryRun: true))
        #expect(try f.cachedKeys() == ["org:search:all", "org:1"])
        let report = try f.orgs(actor: "ops").create(name: name, slug: "obrien-sons", commissionRate: ExactDecimal("0.125"))
        #expect(report.target == dry.target)
        let id = try #require(report.change["id"]?.intValue)
        let org = try f.orgs().show(id)
        #expect(org.name == name)
        #expect(org.slug == "obrien-sons")
        #expect(org.status == .pending)
        #expect(org.commissionRate.description == "0.1250")
        #expect(try f.cachedKeys() == ["org:1"])

        let platform = try f.db.query("SELECT platform_commission_rate()::text AS r")[0].requiredString("r")
        let plain = try f.orgs().create(name: "Plain", slug: "plain")
        #expect(try f.orgs().show(try #require(plain.change["id"]?.intValue)).commissionRate.description == platform)

        let taken = #expect(throws: WWError.self) { try f.orgs().create(name: "Again", slug: "obrien-sons") }
        #expect(taken?.category == .dataError)
        #expect(taken?.message.contains("slug 'obrien-sons' is taken") == true)
        for slug in ["Obrien", "a--b", "-a", "a b", "", "ü"] {
            #expect(#expect(throws: WWError.self) { try f.orgs().create(name: "X", slug: slug) }?.category == .usage, "\(slug)")
        }
        for rate in ["1.5", "-0.1", "0.12345", "abc", "1e-2", "NaN", ""] {
            #expect(#expect(throws: WWError.self) { try OrgInput.commissionRate(rate) }?.category == .usage, "\(rate)")
        }
        #expect(try OrgInput.commissionRate("1").description == "1.0000")
        #expect(try OrgInput.commissionRate("0.12500").description == "0.1250")
        // The services take a parsed rate and check it as such.
        #expect(try OrgInput.commissionRate(ExactDecimal("0.12500")!).description == "0.1250")
        for rate in ["1.5", "-0.1", "0.12345"] {
            let error = #expect(throws: WWError.self) { try f.orgs().create(name: "X", slug: "rate", commissionRate: ExactDecimal(rate)!) }
            #expect(error?.category == .usage, "\(rate)")
        }
        #expect(#expect(throws: WWError.self) { try f.orgs().create(name: " ", slug: "blank") }?.category == .usage)
        #expect(try f.auditRows(command: "orgs create").count == 2)
    }

    @Test func listFiltersByStatusAndSearchesWithWildcardsTakenLiterally() throws {
        let f = try AccessFixture(port: 6491)
        for (name, slug) in [("100% Cotton", "cotton-a"), ("1000 Cotton", "cotton-b"), ("snake_case shop", "snake-a"),
                             ("snakeXcase shop", "snake-b"), ("back\\slash", "back-a"), ("O'Hara", "ohara")] {
            _ = try f.orgs().create(name: name, slug: slug)
        }
        func names(_ search: String) throws -> [String] { try f.orgs().list(search: search, limit: 100).map(\.name) }
        #expect(try names("100%") == ["100% Cotton"])
        #expect(try names("e_c") == ["snake_case shop"])
        #expect(try names("k\\s") == ["back\\slash"])
        #expect(try names("o'h") == ["O'Hara"])
        #expect(try names("COTTON-") == ["100% Cotton", "1000 Cotton"])  // the slug matches too
        let pending = try f.orgs().list(status: .pending, limit: 100)
        #expect(pending.count >= 6 && pending.allSatisfy { $0.status == .pending })
        #expect(try f.orgs().list(limit: 3).map(\.id) == [1, 2, 3])
        #expect(#expect(throws: WWError.self) { try f.orgs().list(limit: 0) }?.category == .usage)
        #expect(#expect(throws: WWError.self) { try OrganizationStatus.parse("closed") }?.category == .usage)
    }

    @Test func dryRunsOfOrgChangesChangeNothing() throws {
        let f = try AccessFixture(port: 6491)
        let org = try busyOrg(f)
        let (deleted, _) = try plantForOrg(f, org: org)
        let digest = try f.databaseDigest()
        let cache = try f.cacheSnapshot()
        let dry = AccessMutationOptions(dryRun: true)
        let update = try f.orgs().update(org, name: "Other", commissionRate: ExactDecimal("0.4321"), options: dry)
        let suspend = try f.orgs().suspend(org, reason: "x", options: dry)
        _ = try f.orgs().create(name: "N", slug: "n", options: dry)
        #expect(try f.databaseDigest() == digest)
        #expect(try f.cacheSnapshot() == cache)
        #expect(update.auditId == nil && suspend.auditId == nil)
        // Named keys that exist; the swept ones are counted by the walks.
        #expect(Set(suspend.invalidation.keys ?? []) == deleted.subtracting(["org:search:abc", "org:search:q=x:y", "refunds:org:\(org):h1"]))
        #expect(suspend.invalidation.sweeps.reduce(0) { $0 + $1.matched } == 3)
        #expect(suspend.invalidation.sweeps.allSatisfy { $0.deleted == 0 })
    }
}
