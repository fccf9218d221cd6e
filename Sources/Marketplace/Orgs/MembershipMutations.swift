import Keyspace
import Postgres
import Support

extension OrgService {
    /// `orgs add-member`: the user joins the org with a role. An existing member is a
    /// data error and nothing changes.
    public func addMember(orgId: Int, userId: Int, role: String, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try mutator().run(command: "orgs add-member", options: options) { db, dryRun in
            let locked = try Self.lockMembership(orgId: orgId, userId: userId, role: role, db)
            if let current = locked.currentRole {
                throw WWError.dataError("user \(userId) is already a member of org \(orgId) (as \(current))")
            }
            guard let role = locked.role else { throw WWError.internalError("add-member: no role resolved") }
            if !dryRun {
                do {
                    try db.execute(
                        "INSERT INTO organization_users (user_id, organization_id, role_id) VALUES ($1, $2, $3)",
                        [userId, orgId, role.id])
                } catch let error as PostgresError where error.isUniqueViolation {
                    throw WWError.dataError("user \(userId) is already a member of org \(orgId)")
                }
            }
            return try Self.membershipChange(orgId: orgId, userId: userId, before: nil, after: role.name, db)
        }
    }

    /// `orgs remove-member`: the user leaves the org. A user who is not a member is a data
    /// error.
    public func removeMember(orgId: Int, userId: Int, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try mutator().run(command: "orgs remove-member", options: options) { db, dryRun in
            let locked = try Self.lockMembership(orgId: orgId, userId: userId, role: nil, db)
            guard let current = locked.currentRole, let membershipId = locked.membershipId else {
                throw WWError.dataError("user \(userId) is not a member of org \(orgId)")
            }
            if !dryRun {
                try db.execute("DELETE FROM organization_users WHERE id = $1", [membershipId])
            }
            return try Self.membershipChange(orgId: orgId, userId: userId, before: current, after: nil, db)
        }
    }

    /// `orgs set-role`: the member's role changes. Setting the role they have is a data
    /// error. Concurrent calls on one membership run one after another (row lock), each
    /// recording the role it replaced.
    public func setRole(orgId: Int, userId: Int, role: String, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try mutator().run(command: "orgs set-role", options: options) { db, dryRun in
            let locked = try Self.lockMembership(orgId: orgId, userId: userId, role: role, db)
            guard let current = locked.currentRole, let membershipId = locked.membershipId else {
                throw WWError.dataError("user \(userId) is not a member of org \(orgId)")
            }
            guard let role = locked.role else { throw WWError.internalError("set-role: no role resolved") }
            if current == role.name {
                throw WWError.dataError("user \(userId) already has role \(current) in org \(orgId)")
            }
            if !dryRun {
                try db.execute(
                    "UPDATE organization_users SET role_id = $2, updated_at = now() WHERE id = $1", [membershipId, role.id])
            }
            return try Self.membershipChange(orgId: orgId, userId: userId, before: current, after: role.name, db)
        }
    }

    private struct LockedMembership {
        var role: RoleRow?
        var membershipId: Int?
        var currentRole: String?
    }

    /// Checks and locks, in the order every membership change uses (org, role,
    /// membership): `no org`, `no user`, `no role` are data errors.
    private static func lockMembership(orgId: Int, userId: Int, role: String?, _ db: PostgresConnection) throws -> LockedMembership {
        if try db.query("SELECT 1 FROM organizations WHERE id = $1 FOR SHARE", [orgId]).isEmpty {
            throw WWError.dataError("no org \(orgId)")
        }
        try AccessLookup.requireUser(userId, db)
        var locked = LockedMembership()
        if let role { locked.role = try RoleRow.find(role, db, lock: .share) }
        let rows = try db.query("""
            SELECT ou.id, r.name AS role
            FROM organization_users ou JOIN roles r ON r.id = ou.role_id
            WHERE ou.user_id = $1 AND ou.organization_id = $2
            FOR UPDATE OF ou
            """, [userId, orgId])
        if let row = rows.first {
            locked.membershipId = try row.requiredInt("id")
            locked.currentRole = try row.requiredString("role")
        }
        return locked
    }

    private static func membershipChange(
        orgId: Int, userId: Int, before: String?, after: String?, _ db: PostgresConnection
    ) throws -> MutationRunner.Change {
        func role(_ name: String?) -> JSONValue { name.map { .object([("role", .string($0))]) } ?? .null }
        return MutationRunner.Change(
            target: .membership(orgId: orgId, userId: userId),
            details: .object([
                ("orgId", .number(orgId)), ("userId", .number(userId)), ("before", role(before)), ("after", role(after)),
            ]),
            dataChanges: [.membership(userId: userId, orgId: orgId, permissionCatalog: try AccessFacts.permissionCatalog(db))])
    }
}
