import Support

/// The answer of `perms check`: the database's decision, the cached value at the
/// registry's perm key, and whether they disagree.
public struct PermissionDecision: Sendable, Encodable, Equatable {
    /// The database's answer: membership → role → permission, and the org not suspended.
    public var allowed: Bool
    /// The cached value when it is a JSON boolean; nil when the key is absent or holds
    /// anything else (see `cachedRaw`).
    public var cached: Bool?
    /// The key exists and its value is not the database's answer (`true`/`false` as
    /// cache-manager writes them); false when the key is absent.
    public var stale: Bool
    /// The cached value as stored, when the key exists (`"true"`, or whatever else is there).
    public var cachedRaw: String?
    public var key: String
    public var userId: Int
    public var orgId: Int
    public var resource: String
    public var action: String
    /// The org's status (`pending`, `active`, `suspended`).
    public var orgStatus: String
    /// The user's role in the org, nil when not a member.
    public var role: String?
    /// Why, in one line.
    public var reason: String
    /// The chain from membership to grant (or where it breaks), one step per line.
    public var chain: [String]
}

/// What a user may do in one org (`perms list`).
public struct UserOrgPermissions: Sendable, Encodable, Equatable {
    public var organizationId: Int
    public var organization: String
    public var status: String
    public var role: String
    /// What `perms check` allows: the role's permissions, none while the org is suspended.
    public var permissions: [String]
    /// The role's permissions whatever the org's status.
    public var rolePermissions: [String]
}

/// The role → permission matrix (`perms roles`).
public struct PermissionMatrix: Sendable, Encodable, Equatable {
    public struct Role: Sendable, Encodable, Equatable {
        public var name: String
        public var rank: Int
        public var description: String
        /// Memberships holding the role.
        public var members: Int
        /// `resource:action`, in catalog order.
        public var permissions: [String]
    }

    public struct Entry: Sendable, Encodable, Equatable {
        public var resource: String
        public var action: String
        public var description: String
        /// Roles granting it, most powerful first.
        public var roles: [String]
    }

    /// Most powerful first.
    public var roles: [Role]
    /// The permission catalog in id order.
    public var catalog: [Entry]
}

/// One cached perm value that disagrees with the database (`perms audit`).
public struct StalePermission: Sendable, Encodable, Equatable {
    public var key: String
    public var userId: Int64
    public var orgId: Int64
    public var resource: String
    public var action: String
    /// The value as cached (`true`, `false`, or whatever else was there).
    public var cached: String
    /// The database's answer.
    public var database: Bool
}

/// What `perms audit` found.
public struct PermissionAuditReport: Sendable, Encodable, Equatable {
    /// Keys SCAN returned (of every family: SCAN's MATCH filters after it picks keys).
    public var scanned: Int
    /// Perm keys compared with the database.
    public var checked: Int
    /// Whether the walk stopped at `--sample` before the end of the keyspace.
    public var sampled: Bool
    /// Database queries made: one per batch of keys.
    public var queries: Int
    public var staleCount: Int
    /// Stale keys deleted by `--fix`.
    public var fixed: Int
    public var stale: [StalePermission]
}
