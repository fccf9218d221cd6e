import Keyspace
import Postgres
import Support

extension OrgService {
    /// `orgs add-member`: the user joins the org with a role. A member who already has
    /// that role is a success that changes nothing (`unchanged`: no audit row, no
    /// invalidation), so a retried runbook step passes; a member with another role is a
    /// data error (that is `set-role`).
    public func addMember(orgId: Int, userId: Int, role: String, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try mutator().run(command: "orgs add-member", options: options) { db, dryRun in
            let locked = try Self.lockMembership(orgId: orgId, userId: userId, role: role, lockOwners: false, db)
            guard let role = locked.role else { throw WWError.internalError("add-member: no role resolved") }
            if let current = locked.currentRole {
                guard current == role.name else {
                    throw WWError.dataError("user \(userId) is already a member of org \(orgId) as \(current) (orgs set-role changes it)")
                }
                return Self.unchangedMembership(orgId: orgId, userId: userId, role: current)
            }
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

    /// `orgs remove-member`: the user leaves the org. A user who is not a member is a
    /// success that changes nothing. Removing the org's last owner is a data error unless
    /// `allowNoOwner`.
    public func removeMember(
        orgId: Int, userId: Int, allowNoOwner: Bool = false, options: AccessMutationOptions = .init()
    ) throws -> MutationReport {
        try mutator().run(command: "orgs remove-member", options: options) { db, dryRun in
            let locked = try Self.lockMembership(orgId: orgId, userId: userId, role: nil, lockOwners: true, db)
            guard let current = locked.currentRole, let membershipId = locked.membershipId else {
                return Self.unchangedMembership(orgId: orgId, userId: userId, role: nil)
            }
            if current == RoleRow.owner && !allowNoOwner {
                try Self.requireAnotherOwner(locked, orgId: orgId, userId: userId, doing: "removing them")
            }
            if !dryRun {
                try db.execute("DELETE FROM organization_users WHERE id = $1", [membershipId])
            }
            return try Self.membershipChange(orgId: orgId, userId: userId, before: current, after: nil, db)
        }
    }

    /// `orgs set-role`: the member's role changes. Setting the role they have is a
    /// success that changes nothing. Taking the owner role from the org's last owner is a
    /// data error unless `allowNoOwner`. Concurrent calls on one membership run one after
    /// another (row lock), each recording the role it replaced.
    public func setRole(
        orgId: Int, userId: Int, role: String, allowNoOwner: Bool = false, options: AccessMutationOptions = .init()
    ) throws -> MutationReport {
        try mutator().run(command: "orgs set-role", options: options) { db, dryRun in
            let locked = try Self.lockMembership(orgId: orgId, userId: userId, role: role, lockOwners: true, db)
            guard let current = locked.currentRole, let membershipId = locked.membershipId else {
                throw WWError.dataError("user \(userId) is not a member of org \(orgId)")
            }
            guard let role = locked.role else { throw WWError.internalError("set-role: no role resolved") }
            if current == role.name {
                return Self.unchangedMembership(orgId: orgId, userId: userId, role: current)
            }
            if current == RoleRow.owner && !allowNoOwner {
                try Self.requireAnotherOwner(locked, orgId: orgId, userId: userId, doing: "making them \(role.name)")
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
        /// The users who own the org, when the owners were locked.
        var owners: [Int] = []
    }

    /// Checks and locks, in the order every membership change uses (org, role, the org's
    /// owner memberships, the membership): `no org`, `no user`, `no role` are data errors.
    /// Locking the owners (by id, so concurrent changes queue without deadlock) keeps two
    /// changes from each seeing the other owner and leaving the org with none.
    private static func lockMembership(
        orgId: Int, userId: Int, role: String?, lockOwners: Bool, _ db: PostgresConnection
    ) throws -> LockedMembership {
        if try db.query("SELECT 1 FROM organizations WHERE id = $1 FOR SHARE", [orgId]).isEmpty {
            throw WWError.dataError("no org \(orgId)")
        }
        try AccessLookup.requireUser(userId, db)
        var locked = LockedMembership()
        if let role { locked.role = try RoleRow.find(role, db, lock: .share) }
        if lockOwners {
            locked.owners = try db.query("""
                SELECT ou.user_id
                FROM organization_users ou JOIN roles r ON r.id = ou.role_id
                WHERE ou.organization_id = $1 AND r.name = $2
                ORDER BY ou.id
                FOR UPDATE OF ou
                """, [orgId, RoleRow.owner]).map { try $0.requiredInt("user_id") }
        }
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

    /// Refuses a change that would leave the org without an owner.
    private static func requireAnotherOwner(_ locked: LockedMembership, orgId: Int, userId: Int, doing: String) throws {
        guard locked.owners.allSatisfy({ $0 == userId }) else { return }
        throw WWError.dataError(
            "user \(userId) is the only owner of org \(orgId): \(doing) would leave it without one; "
                + "make another member owner first, or give --allow-no-owner")
    }

    private static func membershipChange(
        orgId: Int, userId: Int, before: String?, after: String?, _ db: PostgresConnection
    ) throws -> MutationRunner.Change {
        MutationRunner.Change(
            target: .membership(orgId: orgId, userId: userId),
            details: membershipDetails(orgId: orgId, userId: userId, before: before, after: after),
            dataChanges: [.membership(userId: userId, orgId: orgId, permissionCatalog: try AccessFacts.permissionCatalog(db))])
    }

    /// A membership already as asked: `role` (nil: not a member).
    private static func unchangedMembership(orgId: Int, userId: Int, role: String?) -> MutationRunner.Change {
        MutationRunner.Change(
            target: .membership(orgId: orgId, userId: userId),
            details: membershipDetails(orgId: orgId, userId: userId, before: role, after: role),
            dataChanges: [], unchanged: true)
    }

    private static func membershipDetails(orgId: Int, userId: Int, before: String?, after: String?) -> JSONValue {
        func role(_ name: String?) -> JSONValue { name.map { .object([("role", .string($0))]) } ?? .null }
        return .object([("orgId", .number(orgId)), ("userId", .number(userId)), ("before", role(before)), ("after", role(after))])
    }
}
