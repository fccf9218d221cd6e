import Keyspace
import Postgres
import Support

/// `perm:{userId}:{orgId}:{resource}:{action}` → `true` / `false`.
///
/// Keys: every membership × every pair of the permission catalog (so a denial is cached
/// as `false`, as the app caches it). Value: whether the member's role holds the
/// permission — except in a suspended org, where every answer is `false` (a suspended
/// org denies everything). A pending org (applied, not yet approved) is not suspended:
/// its members' roles apply, so an owner can prepare the catalog before approval.
///
/// The query streams one row per membership with the role's grants as a mask over the
/// catalog (`tff…t`, catalog order); keys are expanded here, so PostgreSQL sends 25,000
/// rows for 1,100,000 keys.
final class PermSource: WarmSource {
    static let family = KeyFamily.perm
    static let scopes: Set<WarmScope.Kind> = [.user, .org]
    static let columns = 4

    static func query(_ scope: WarmScope.Kind) -> String {
        """
        WITH masks AS (
            SELECT r.id AS role_id,
                   string_agg(CASE WHEN rp.role_id IS NULL THEN 'f' ELSE 't' END, '' ORDER BY p.id) AS mask
            FROM roles r
            CROSS JOIN permissions p
            LEFT JOIN role_permissions rp ON rp.role_id = r.id AND rp.permission_id = p.id
            GROUP BY r.id)
        SELECT ou.user_id, ou.organization_id, o.status = 'suspended', m.mask
        FROM organization_users ou
        JOIN organizations o ON o.id = ou.organization_id
        JOIN masks m ON m.role_id = ou.role_id
        WHERE \(WarmSQL.filter(scope, [.user: "ou.user_id", .org: "ou.organization_id"]))
        ORDER BY ou.user_id, ou.organization_id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = PermSource.fixedTTL
    /// The catalog in id order: (resource, action) bytes, checked once against the
    /// template's parameter kinds.
    private var catalog: [([UInt8], [UInt8])] = []

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix, trusted: ["resource", "action"])
    }

    func prepare(_ connection: PostgresConnection) throws {
        let template = Self.family.template
        catalog = []
        for row in try connection.query("SELECT resource, action FROM permissions ORDER BY id") {
            let resource = try row.requiredString("resource")
            let action = try row.requiredString("action")
            for (name, value) in [("resource", resource), ("action", action)] {
                guard let kind = template.parameter(named: name)?.kind, kind.accepts(value) else {
                    throw KeyspaceError.invalidParameter(
                        template: Self.family.pattern, name: name, value: value,
                        expected: template.parameter(named: name)?.kind.description ?? "a token")
                }
            }
            catalog.append((Array(resource.utf8), Array(action.utf8)))
        }
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        let mask = row.raw(3)
        guard mask.count == catalog.count else {
            throw WWError.internalError("warm perm: a role's grants cover \(mask.count) permissions, the catalog has \(catalog.count)")
        }
        let suspended = try row.bool(2)
        let user = row.raw(0)
        let org = row.raw(1)
        for (index, pair) in catalog.enumerated() {
            let allowed = !suspended && mask[index] == UInt8(ascii: "t")
            try sink.emit(
                ttlSeconds: ttl,
                key: { out in
                    try renderer.append(to: &out) { parameter, out in
                        switch parameter {
                        case 0: out.append(user)
                        case 1: out.append(org)
                        case 2: out.append(contentsOf: pair.0)
                        default: out.append(contentsOf: pair.1)
                        }
                    }
                },
                value: { out in if allowed { out.append("true") } else { out.append("false") } })
        }
    }
}

/// `user:orgs:{userId}` → the user's memberships with their orgs, as
/// `organizationUser.findMany({where: {userId}, include: {organization: true}})` returns
/// them: `[{id, userId, organizationId, roleId, role, createdAt, updatedAt,
/// organization: Organization}]`, by membership id. Keys: users with at least one
/// membership (whatever the org's status).
final class UserOrgsSource: WarmSource {
    static let family = KeyFamily.userOrgs
    static let scopes: Set<WarmScope.Kind> = [.user, .org]
    static let columns = 1 + MembershipShape.columnCount + OrganizationShape.columnCount

    static func query(_ scope: WarmScope.Kind) -> String {
        // An org reaches the users who are its members (`m`, one row per user: a user is
        // a member of an org once), and each of those users' memberships in every org.
        """
        SELECT ou.user_id, \(MembershipShape.columns("ou")), \(OrganizationShape.columns("o"))
        FROM organization_users ou
        JOIN roles r ON r.id = ou.role_id
        JOIN organizations o ON o.id = ou.organization_id\(scope == .org ? "\nJOIN organization_users m ON m.user_id = ou.user_id" : "")
        WHERE \(WarmSQL.filter(scope, [.user: "ou.user_id", .org: "m.organization_id"]))
        ORDER BY ou.user_id, ou.id
        """
    }

    private let renderer: KeyRenderer
    private let ttl = UserOrgsSource.fixedTTL
    private var group = RowGroup(columns: [0])

    init(prefix: String) throws {
        renderer = try KeyRenderer(Self.family, prefix: prefix)
    }

    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        if group.isNewGroup(row) {
            try finish(&sink)
            group.open(row)
        }
        group.beginItem()
        group.value.append(UInt8(ascii: "{"))
        try MembershipShape.appendFields(row, at: 1, to: &group.value)
        group.value.append(#","organization":{"#)
        try OrganizationShape.appendFields(row, at: 1 + MembershipShape.columnCount, to: &group.value)
        group.value.append("}}")
    }

    func finish(_ sink: inout WarmSink) throws {
        try group.emit(&sink, renderer, ttl: ttl)
    }
}
