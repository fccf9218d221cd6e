extension WarmDeclaration {
    /// `perm:{userId}:{orgId}:{resource}:{action}` → `true` / `false`.
    ///
    /// Keys: every membership × every pair of the permission catalog (so a denial is
    /// cached as `false`, as the app caches it). Value: whether the member's role holds the
    /// permission — except in a suspended org, where every answer is `false` (a suspended
    /// org denies everything). A pending org (applied, not yet approved) is not suspended:
    /// its members' roles apply, so an owner can prepare the catalog before approval.
    ///
    /// The query streams one row per membership with the role's grants as a mask over the
    /// catalog (`tff…t`, catalog order); keys are expanded by the emitter, so PostgreSQL
    /// sends 25,000 rows for 1,100,000 keys.
    static let perm = WarmDeclaration(
        .perm, scopes: [.user: "ou.user_id", .org: "ou.organization_id"],
        layout: .catalog(columns: ["resource", "action"], from: "FROM permissions ORDER BY id"),
        key: [.column("ou.user_id"), .column("ou.organization_id"), .catalog("resource"), .catalog("action")],
        value: .grant(mask: "m.mask", denied: "o.status = 'suspended'"),
        with: { _ in
            """
            masks AS (
                SELECT r.id AS role_id,
                       string_agg(CASE WHEN rp.role_id IS NULL THEN 'f' ELSE 't' END, '' ORDER BY p.id) AS mask
                FROM roles r
                CROSS JOIN permissions p
                LEFT JOIN role_permissions rp ON rp.role_id = r.id AND rp.permission_id = p.id
                GROUP BY r.id)
            """
        },
        from: { _ in
            """
            FROM organization_users ou
            JOIN organizations o ON o.id = ou.organization_id
            JOIN masks m ON m.role_id = ou.role_id
            """
        },
        orderBy: ["ou.user_id", "ou.organization_id"])

    /// `user:orgs:{userId}` → the user's memberships with their orgs, as
    /// `organizationUser.findMany({where: {userId}, include: {organization: true}})` returns
    /// them: `[{id, userId, organizationId, roleId, role, createdAt, updatedAt,
    /// organization: Organization}]`, by membership id. Keys: users with at least one
    /// membership (whatever the org's status).
    static let userOrgs = WarmDeclaration(
        .userOrgs, scopes: [.user: "ou.user_id", .org: "m.organization_id"], layout: .group,
        key: [.column("ou.user_id")],
        value: .list(.object(WarmModel.membership.fields("ou") + [.object("organization", WarmModel.organization.fields("o"))])),
        from: { scope in
            // An org reaches the users who are its members (`m`, one row per user: a user
            // is a member of an org once), and each of those users' memberships in every org.
            """
            FROM organization_users ou
            JOIN roles r ON r.id = ou.role_id
            JOIN organizations o ON o.id = ou.organization_id\(scope.only(.org, "\nJOIN organization_users m ON m.user_id = ou.user_id"))
            """
        },
        orderBy: ["ou.user_id", "ou.id"])
}
