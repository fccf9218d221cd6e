import Keyspace
import Postgres
import Redis
import Support

/// Permissions: answers from the database compared with the cache, the role matrix, and
/// grants and revokes whose invalidation names the perm key of every member holding the
/// role (one query for the holders, one pipelined UNLINK).
///
/// The rule, the same in `check`, `list` and `audit`: a user may perform an action on a
/// resource in an org when they are a member, their role is granted that permission, and
/// the org is not suspended. A suspended org denies everything; a pending org (applied,
/// not yet approved) grants its members their roles' permissions, so its owner can set it
/// up before approval.
public struct PermissionService {
    public let postgres: PostgresConnection
    public let redis: RedisConnection?
    /// Where the perm keys live.
    public let keyspace: BoundKeyspace
    public let actor: String

    public init(postgres: PostgresConnection, redis: RedisConnection? = nil, keyspace: BoundKeyspace, actor: String = "wwctl") {
        self.postgres = postgres
        self.redis = redis
        self.keyspace = keyspace
        self.actor = actor
    }

    // MARK: check

    /// `perms check`: the database's answer, with the cached value compared when a Redis
    /// connection was given. Unknown user or org: data error. A resource/action not in the
    /// catalog is denied (the app would deny it too).
    public func check(userId: Int, orgId: Int, resource: String, action: String) throws -> PermissionDecision {
        let resource = try OrgInput.word(resource, what: "resource")
        let action = try OrgInput.word(action, what: "action")
        let sql = """
            SELECT u.id IS NOT NULL AS user_exists, u.name AS user_name,
                   o.id IS NOT NULL AS org_exists, o.name AS org_name, o.status, o.suspended_reason, o.suspended_at,
                   ou.id IS NOT NULL AS is_member, ou.created_at AS member_since, r.name AS role,
                   p.id IS NOT NULL AS in_catalog,
                   EXISTS (SELECT 1 FROM role_permissions rp
                           WHERE rp.role_id = ou.role_id AND rp.permission_id = p.id) AS granted,
                   (SELECT string_agg(r2.name, ', ' ORDER BY r2.rank DESC)
                    FROM role_permissions rp2 JOIN roles r2 ON r2.id = rp2.role_id
                    WHERE rp2.permission_id = p.id) AS granted_to
            FROM (SELECT 1) AS one
            LEFT JOIN users u ON u.id = $1
            LEFT JOIN organizations o ON o.id = $2
            LEFT JOIN organization_users ou ON ou.user_id = $1 AND ou.organization_id = $2
            LEFT JOIN roles r ON r.id = ou.role_id
            LEFT JOIN permissions p ON p.resource = $3 AND p.action = $4
            """
        let row = try postgres.query(sql, [userId, orgId, resource, action])[0]
        guard row.bool("user_exists") == true else { throw WWError.dataError("no user \(userId)") }
        guard row.bool("org_exists") == true else { throw WWError.dataError("no org \(orgId)") }
        let permission = "\(resource):\(action)"
        let status = try row.requiredString("status")
        let orgName = row.string("org_name") ?? ""
        let role = row.string("role")
        var chain: [String] = []
        let reason: String
        var allowed = false

        if let role {
            chain.append("user \(userId) (\(row.string("user_name") ?? "")) is a member of org \(orgId) (\(orgName)) as \(role)"
                + (row.isoTimestamp("member_since").map { " since \($0)" } ?? ""))
        } else {
            chain.append("user \(userId) (\(row.string("user_name") ?? "")) is not a member of org \(orgId) (\(orgName))")
        }
        switch status {
        case OrganizationStatus.suspended.rawValue:
            chain.append("org \(orgId) is suspended"
                + (row.isoTimestamp("suspended_at").map { " since \($0)" } ?? "")
                + (row.string("suspended_reason").map { " (\($0))" } ?? "") + ": every permission in it is denied")
        case OrganizationStatus.pending.rawValue:
            chain.append("org \(orgId) is pending approval: its members hold their roles' permissions")
        default:
            chain.append("org \(orgId) is \(status)")
        }
        if row.bool("in_catalog") != true {
            chain.append("\(permission) is not in the permission catalog")
        } else if let role {
            if row.bool("granted") == true {
                chain.append("role \(role) grants \(permission)")
            } else {
                chain.append("role \(role) does not grant \(permission)"
                    + (row.string("granted_to").map { " (granted to: \($0))" } ?? " (no role has it)"))
            }
        }

        if role == nil {
            reason = "user \(userId) is not a member of org \(orgId)"
        } else if status == OrganizationStatus.suspended.rawValue {
            reason = "org \(orgId) is suspended"
        } else if row.bool("in_catalog") != true {
            reason = "\(permission) is not in the permission catalog"
        } else if row.bool("granted") == true, let role {
            allowed = true
            reason = "role \(role) grants \(permission)"
        } else {
            reason = "role \(role ?? "-") does not grant \(permission)"
        }
        chain.append(allowed ? "allowed" : "denied")

        let key = try keyspace.key(
            .perm, ["userId": String(userId), "orgId": String(orgId), "resource": resource, "action": action])
        var decision = PermissionDecision(
            allowed: allowed, cached: nil, stale: false, cachedRaw: nil, key: String(decoding: key, as: UTF8.self),
            userId: userId, orgId: orgId,
            resource: resource, action: action, orgStatus: status, role: role, reason: reason, chain: chain)
        if let redis {
            let reply = try redis.pipeline([["GET", key]])[0]
            let value = CachedPermission(reply)
            decision.cachedRaw = value.raw
            decision.cached = value.boolean
            decision.stale = value.isStale(allowed: allowed)
        }
        return decision
    }

    // MARK: list and roles

    /// `perms list`: the user's memberships (in one org with `orgId`) with what each allows.
    public func list(userId: Int, orgId: Int? = nil) throws -> [UserOrgPermissions] {
        try AccessLookup.requireUser(userId, postgres)
        if let orgId { try AccessLookup.requireOrg(orgId, postgres) }
        let sql = """
            SELECT o.id, o.name, o.status, r.name AS role,
                   coalesce((SELECT array_agg(p.resource || ':' || p.action ORDER BY p.id)
                             FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id
                             WHERE rp.role_id = ou.role_id), '{}') AS permissions
            FROM organization_users ou
            JOIN organizations o ON o.id = ou.organization_id
            JOIN roles r ON r.id = ou.role_id
            WHERE ou.user_id = $1 AND ($2::bigint IS NULL OR ou.organization_id = $2)
            ORDER BY o.id
            """
        return try postgres.query(sql, [userId, orgId]).map { row in
            let status = try row.requiredString("status")
            let granted = try row.requiredStringArray("permissions")
            return UserOrgPermissions(
                organizationId: try row.requiredInt("id"), organization: try row.requiredString("name"), status: status,
                role: try row.requiredString("role"),
                permissions: status == OrganizationStatus.suspended.rawValue ? [] : granted,
                rolePermissions: granted)
        }
    }

    /// `perms roles`: every role with its permissions, and the catalog with its roles.
    public func roles() throws -> PermissionMatrix {
        let roles = try postgres.query("""
            SELECT r.name, r.rank, r.description,
                   (SELECT count(*) FROM organization_users ou WHERE ou.role_id = r.id) AS members,
                   coalesce((SELECT array_agg(p.resource || ':' || p.action ORDER BY p.id)
                             FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id
                             WHERE rp.role_id = r.id), '{}') AS permissions
            FROM roles r ORDER BY r.rank DESC, r.name
            """).map { row in
            PermissionMatrix.Role(
                name: try row.requiredString("name"), rank: try row.requiredInt("rank"),
                description: try row.requiredString("description"), members: try row.requiredInt("members"),
                permissions: try row.requiredStringArray("permissions"))
        }
        let catalog = try postgres.query("""
            SELECT p.resource, p.action, p.description,
                   coalesce((SELECT array_agg(r.name ORDER BY r.rank DESC, r.name)
                             FROM role_permissions rp JOIN roles r ON r.id = rp.role_id
                             WHERE rp.permission_id = p.id), '{}') AS roles
            FROM permissions p ORDER BY p.id
            """).map { row in
            PermissionMatrix.Entry(
                resource: try row.requiredString("resource"), action: try row.requiredString("action"),
                description: try row.requiredString("description"), roles: try row.requiredStringArray("roles"))
        }
        return PermissionMatrix(roles: roles, catalog: catalog)
    }

    // MARK: grant and revoke

    /// `perms grant ROLE RESOURCE:ACTION`. Granting what the role has changes nothing.
    public func grant(role: String, permission: String, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try changeGrant(role: role, permission: permission, grant: true, options: options)
    }

    /// `perms revoke ROLE RESOURCE:ACTION`. Revoking what the role lacks changes nothing.
    public func revoke(role: String, permission: String, options: AccessMutationOptions = .init()) throws -> MutationReport {
        try changeGrant(role: role, permission: permission, grant: false, options: options)
    }

    private func changeGrant(role roleName: String, permission text: String, grant: Bool, options: AccessMutationOptions) throws -> MutationReport {
        let (resource, action) = try OrgInput.permission(text)
        let mutator = try MutationRunner(postgres: postgres, redis: redis, keyspace: keyspace, actor: actor, service: "perms")
        return try mutator.run(command: grant ? "perms grant" : "perms revoke", options: options) { db, dryRun in
            let role = try RoleRow.find(roleName, db, lock: .update)
            guard let permissionId = try db.query(
                "SELECT id FROM permissions WHERE resource = $1 AND action = $2", [resource, action]
            ).first?.int("id") else {
                throw WWError.dataError("no permission \(resource):\(action) in the catalog")
            }
            let granted = !(try db.query(
                "SELECT 1 FROM role_permissions WHERE role_id = $1 AND permission_id = $2", [role.id, permissionId]
            ).isEmpty)
            if grant == granted {
                return MutationRunner.Change(
                    target: .role(role.name),
                    details: .object([
                        ("role", .string(role.name)), ("permission", .string("\(resource):\(action)")),
                        ("before", .object([("granted", .bool(granted))])), ("after", .object([("granted", .bool(granted))])),
                    ]),
                    dataChanges: [], unchanged: true)
            }
            if !dryRun {
                if grant {
                    try db.execute("INSERT INTO role_permissions (role_id, permission_id) VALUES ($1, $2)", [role.id, permissionId])
                } else {
                    try db.execute("DELETE FROM role_permissions WHERE role_id = $1 AND permission_id = $2", [role.id, permissionId])
                }
            }
            let holders = try AccessFacts.holders(ofRole: role.id, db)
            return MutationRunner.Change(
                target: .role(role.name),
                details: .object([
                    ("role", .string(role.name)), ("permission", .string("\(resource):\(action)")),
                    ("before", .object([("granted", .bool(granted))])), ("after", .object([("granted", .bool(grant))])),
                    ("holders", .number(holders.count)),
                ]),
                dataChanges: [.rolePermission(resource: resource, action: action, holders: holders)])
        }
    }
}

/// A cached perm value as cache-manager writes it: JSON `true` or `false`.
struct CachedPermission {
    /// The value as stored; nil when the key does not exist.
    var raw: String?
    /// The value when it is a JSON boolean.
    var boolean: Bool?

    init(_ reply: RedisReply) {
        switch reply {
        case .bulk(let bytes):
            raw = String(decoding: bytes, as: UTF8.self)
            boolean = (try? JSONParser.parse(bytes))?.boolValue
        case .error(let message):
            // WRONGTYPE: something that is not a string sits at a perm key.
            raw = "(\(message))"
            boolean = nil
        default:
            raw = nil
            boolean = nil
        }
    }

    /// Present and not the database's answer.
    func isStale(allowed: Bool) -> Bool {
        raw != nil && boolean != allowed
    }
}
