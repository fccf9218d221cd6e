import Keyspace
import Postgres
import Support

extension OrgService {
    /// `orgs create`: a new pending organization. Its rate defaults to the platform's
    /// (`platform_commission_rate()`). A taken slug is a data error. In a dry run nothing is
    /// inserted (no id is consumed) and the id shown is the one the sequence would give next.
    public func create(
        name: String, slug: String, commissionRate: ExactDecimal? = nil, options: AccessMutationOptions = .init()
    ) throws -> MutationReport {
        let name = try OrgInput.name(name)
        let slug = try OrgInput.slug(slug)
        let commissionRate = try commissionRate.map(OrgInput.commissionRate)
        return try mutator().run(command: "orgs create", options: options) { db, dryRun in
            if let taken = try db.query("SELECT id FROM organizations WHERE slug = $1", [slug]).first?.int("id") {
                throw WWError.dataError("slug '\(slug)' is taken by org \(taken)")
            }
            let org: JSONValue
            let orgId: Int
            if dryRun {
                let row = try db.query("""
                    SELECT CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END AS next_id,
                           coalesce($1::numeric, platform_commission_rate()) AS rate
                    FROM organizations_id_seq s
                    """, [commissionRate])[0]
                orgId = try row.requiredInt("next_id")
                org = .object([
                    ("name", .string(name)), ("slug", .string(slug)), ("status", .string(OrganizationStatus.pending.rawValue)),
                    ("commissionRate", .string(try row.requiredDecimal("rate").description)), ("suspendedReason", .null),
                ])
            } else {
                let inserted: Int
                do {
                    inserted = try db.query("""
                        INSERT INTO organizations (name, slug, commission_rate)
                        VALUES ($1, $2, coalesce($3::numeric, platform_commission_rate()))
                        RETURNING id
                        """, [name, slug, commissionRate])[0].requiredInt("id")
                } catch let error as PostgresError where error.isUniqueViolation {
                    throw WWError.dataError("slug '\(slug)' is taken")
                }
                orgId = inserted
                org = try Self.organization(orgId, db).auditValue
            }
            return MutationRunner.Change(
                target: .org(orgId),
                details: .object([("id", .number(orgId)), ("before", .null), ("after", org)]),
                dataChanges: [.organization(orgId: orgId, memberIds: [], permissionCatalog: [])])
        }
    }

    /// `orgs update`: a new name and/or commission rate. Values the org already has are a
    /// success that changes nothing (`unchanged`: no audit row, no invalidation).
    /// A new rate also invalidates the commission keys of the org's products whose
    /// effective rate it changes (those no more specific rule covers), as
    /// `DataChange.commissionRules`.
    public func update(
        _ orgId: Int, name: String? = nil, commissionRate: ExactDecimal? = nil, options: AccessMutationOptions = .init()
    ) throws -> MutationReport {
        guard name != nil || commissionRate != nil else {
            throw WWError.usage("nothing to update: give --name and/or --commission-rate")
        }
        let name = try name.map { try OrgInput.name($0) }
        let commissionRate = try commissionRate.map(OrgInput.commissionRate)
        return try mutator().run(command: "orgs update", options: options) { db, _ in
            let before = try Self.organization(orgId, db, forUpdate: true)
            var after = before
            if let name { after.name = name }
            if let commissionRate { after.commissionRate = commissionRate }
            guard after.auditValue != before.auditValue else {
                var asked: [(String, JSONValue)] = []
                if let name { asked.append(("name", .string(name))) }
                if let commissionRate { asked.append(("commissionRate", .string(commissionRate.description))) }
                return Self.unchanged(orgId, asked)
            }
            let rateChanges = after.commissionRate != before.commissionRate
            let ratesBefore = rateChanges ? try Self.effectiveRates(orgId, db) : [:]
            // Written in a dry run too (its transaction is rolled back), so that the
            // products whose effective rate moves are found by the database's own rules.
            try db.execute("""
                UPDATE organizations SET name = $2, commission_rate = $3, updated_at = now() WHERE id = $1
                """, [orgId, after.name, after.commissionRate])
            var changes: [DataChange] = [
                .organization(orgId: orgId, memberIds: try AccessFacts.memberIds(ofOrg: orgId, db),
                              permissionCatalog: try AccessFacts.permissionCatalog(db)),
            ]
            var details: [(String, JSONValue)] = [("before", before.auditValue), ("after", after.auditValue)]
            if rateChanges {
                let ratesAfter = try Self.effectiveRates(orgId, db)
                let moved = ratesAfter.filter { ratesBefore[$0.key] != $0.value }.map(\.key).sorted()
                details.append(("productsWithNewRate", .number(moved.count)))
                if !moved.isEmpty { changes.append(.commissionRules(productIds: moved)) }
            }
            return MutationRunner.Change(target: .org(orgId), details: .object(details), dataChanges: changes)
        }
    }

    /// `orgs suspend`: every permission in the org is denied until it is activated.
    /// Suspending a suspended org changes nothing (its reason stays the first one).
    public func suspend(_ orgId: Int, reason: String, options: AccessMutationOptions = .init()) throws -> MutationReport {
        let reason = try OrgInput.text(reason, what: "reason")
        return try mutator().run(command: "orgs suspend", options: options) { db, dryRun in
            let before = try Self.organization(orgId, db, forUpdate: true)
            if before.status == .suspended {
                return Self.unchanged(orgId, [
                    ("status", .string(before.status.rawValue)),
                    ("suspendedReason", before.suspendedReason.map(JSONValue.string) ?? .null),
                ])
            }
            var after = before
            after.status = .suspended
            after.suspendedReason = reason
            if !dryRun {
                try db.execute("""
                    UPDATE organizations
                    SET status = 'suspended', suspended_reason = $2, suspended_at = now(), updated_at = now()
                    WHERE id = $1
                    """, [orgId, reason])
            }
            return try Self.statusChange(orgId, before: before, after: after, db)
        }
    }

    /// `orgs activate`: a pending or suspended org becomes active (a suspension's reason
    /// is cleared). Activating an active org changes nothing.
    public func activate(_ orgId: Int, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try mutator().run(command: "orgs activate", options: options) { db, dryRun in
            let before = try Self.organization(orgId, db, forUpdate: true)
            if before.status == .active {
                return Self.unchanged(orgId, [("status", .string(before.status.rawValue))])
            }
            var after = before
            after.status = .active
            after.suspendedReason = nil
            if !dryRun {
                try db.execute("""
                    UPDATE organizations
                    SET status = 'active', suspended_reason = NULL, suspended_at = NULL, updated_at = now()
                    WHERE id = $1
                    """, [orgId])
            }
            return try Self.statusChange(orgId, before: before, after: after, db)
        }
    }

    /// An org that already is as asked: `state` holds the fields asked for, as they are.
    private static func unchanged(_ orgId: Int, _ state: [(String, JSONValue)]) -> MutationRunner.Change {
        MutationRunner.Change(
            target: .org(orgId), details: .object([("before", .object(state)), ("after", .object(state))]),
            dataChanges: [], unchanged: true)
    }

    private static func statusChange(
        _ orgId: Int, before: Organization, after: Organization, _ db: PostgresConnection
    ) throws -> MutationRunner.Change {
        MutationRunner.Change(
            target: .org(orgId),
            details: .object([("before", before.auditValue), ("after", after.auditValue)]),
            dataChanges: [
                .organization(orgId: orgId, memberIds: try AccessFacts.memberIds(ofOrg: orgId, db),
                              permissionCatalog: try AccessFacts.permissionCatalog(db)),
            ])
    }

    /// The effective commission rate of each of the org's products, by the schema's
    /// `effective_commission_rate()`.
    private static func effectiveRates(_ orgId: Int, _ db: PostgresConnection) throws -> [Int: ExactDecimal] {
        var rates: [Int: ExactDecimal] = [:]
        try db.stream(
            "SELECT id, effective_commission_rate(id) AS rate FROM products WHERE organization_id = $1", [orgId]
        ) { row in
            rates[try row.requiredInt("id")] = try row.requiredDecimal("rate")
        }
        return rates
    }
}
