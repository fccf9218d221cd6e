import Keyspace
import Postgres
import Redis
import Support

/// Organizations and their members: reads from PostgreSQL, and mutations that each run in
/// one transaction with an audit row and are followed, after commit, by exactly the cache
/// invalidation the keyspace registry names for them (see `MutationRunner`).
///
/// Locks, so that concurrent changes cannot leave a stale cached answer behind:
/// - org updates, suspensions and activations lock the org row FOR UPDATE and read its
///   members after that;
/// - membership changes lock the org row FOR SHARE (so a member cannot join while the
///   org's member list is being read for its invalidation), the target role FOR SHARE
///   (see `RoleRow.Lock`) and the membership row FOR UPDATE (concurrent `set-role`s on
///   one membership run one after the other, each seeing the previous one's role).
/// The order is always org, role, membership; grants and revokes lock only the role.
public struct OrgService {
    public let postgres: PostgresConnection
    /// Needed by mutations only.
    public let redis: RedisConnection?
    /// Where the keys its mutations invalidate live.
    public let keyspace: BoundKeyspace
    /// Who acts, for the audit rows.
    public let actor: String

    public init(postgres: PostgresConnection, redis: RedisConnection? = nil, keyspace: BoundKeyspace, actor: String = "wwctl") {
        self.postgres = postgres
        self.redis = redis
        self.keyspace = keyspace
        self.actor = actor
    }

    // MARK: reads

    /// Organizations by id, optionally of one status and/or whose name or slug contains
    /// `search` (case-insensitively; `%`, `_` and `\` match themselves).
    public func list(status: OrganizationStatus? = nil, search: String? = nil, limit: Int = 50) throws -> [Organization] {
        let limit = try OrgInput.limit(limit)
        let pattern = try search.map { try OrgInput.text($0, what: "search text") }.map(OrgInput.containsPattern)
        let sql = """
            SELECT \(Organization.columns)
            FROM organizations o
            WHERE ($1::text IS NULL OR o.status = $1)
              AND ($2::text IS NULL OR o.name ILIKE $2 ESCAPE '\\' OR o.slug ILIKE $2 ESCAPE '\\')
            ORDER BY o.id
            LIMIT $3
            """
        return try postgres.query(sql, [status?.rawValue, pattern, limit]).map(Organization.init(row:))
    }

    /// One organization; `no org N` (exit 65) when there is none.
    public func show(_ orgId: Int) throws -> Organization {
        try Self.organization(orgId, postgres)
    }

    /// An organization's members, most powerful role first.
    public func members(_ orgId: Int) throws -> [OrganizationMember] {
        try AccessLookup.requireOrg(orgId, postgres)
        let sql = """
            SELECT ou.user_id, u.name, u.email, r.name AS role, ou.created_at
            FROM organization_users ou
            JOIN users u ON u.id = ou.user_id
            JOIN roles r ON r.id = ou.role_id
            WHERE ou.organization_id = $1
            ORDER BY r.rank DESC, ou.user_id
            """
        return try postgres.query(sql, [orgId]).map {
            OrganizationMember(
                userId: try $0.requiredInt("user_id"), name: try $0.requiredString("name"),
                email: try $0.requiredString("email"), role: try $0.requiredString("role"),
                joinedAt: try $0.requiredIsoTimestamp("created_at"))
        }
    }

    static func organization(_ orgId: Int, _ db: PostgresConnection, forUpdate: Bool = false) throws -> Organization {
        let sql = "SELECT \(Organization.columns) FROM organizations o WHERE o.id = $1" + (forUpdate ? " FOR UPDATE OF o" : "")
        guard let row = try db.query(sql, [orgId]).first else { throw WWError.dataError("no org \(orgId)") }
        return try Organization(row: row)
    }

    func mutator() throws -> MutationRunner {
        try MutationRunner(postgres: postgres, redis: redis, keyspace: keyspace, actor: actor, service: "orgs")
    }
}
