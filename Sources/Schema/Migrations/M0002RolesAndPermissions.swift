// Migration 2: the roles, the permission catalog and the role → permission matrix.
//
// Reference data, not seed data: every database has it, `db seed --force` keeps it.
//
// Catalog: 11 resources × 4 actions (read, create, update, delete) = 44 pairs.
//   org, member, product, category, attribute, order, refund, payout, commission, shipping, report
//
// Matrix (each role has everything the role below it has):
//   viewer   reads every resource                                              11
//   staff    + creates and updates products and orders                         15
//   manager  + deletes products; creates and updates categories, attributes,
//              refunds; manages shipping; creates reports                       26
//   admin    everything except deleting the organization and creating,
//              updating or deleting payouts (money leaving is the owner's call) 40
//   owner    everything                                                         44
extension Migrations {
    static let m0002RolesAndPermissions = Migration(
        version: 2,
        name: "roles and permission catalog",
        sql: #"""
        INSERT INTO roles (id, name, rank, description) OVERRIDING SYSTEM VALUE VALUES
            (1, 'owner',   50, 'everything, including payouts and deleting the organization'),
            (2, 'admin',   40, 'everything except payouts and deleting the organization'),
            (3, 'manager', 30, 'catalog, refunds, shipping and reports'),
            (4, 'staff',   20, 'products and orders'),
            (5, 'viewer',  10, 'read only');
        SELECT setval(pg_get_serial_sequence('roles', 'id'), 5);

        INSERT INTO permissions (resource, action, description)
        SELECT r.resource, a.action, a.action || ' ' || r.label
        FROM (VALUES
                (1, 'org', 'the organization'),
                (2, 'member', 'members'),
                (3, 'product', 'products'),
                (4, 'category', 'categories'),
                (5, 'attribute', 'attributes'),
                (6, 'order', 'orders'),
                (7, 'refund', 'refunds'),
                (8, 'payout', 'payouts'),
                (9, 'commission', 'commission rules'),
                (10, 'shipping', 'shipping rates'),
                (11, 'report', 'reports')
             ) AS r (position, resource, label)
        CROSS JOIN (VALUES (1, 'read'), (2, 'create'), (3, 'update'), (4, 'delete')) AS a (position, action)
        ORDER BY r.position, a.position;

        INSERT INTO role_permissions (role_id, permission_id)
        SELECT roles.id, p.id
        FROM roles JOIN permissions p ON CASE roles.name
            WHEN 'owner' THEN true
            WHEN 'admin' THEN NOT ((p.resource = 'org' AND p.action = 'delete')
                                   OR (p.resource = 'payout' AND p.action <> 'read'))
            WHEN 'manager' THEN p.action = 'read'
                OR (p.resource IN ('product', 'order') AND p.action IN ('create', 'update'))
                OR (p.resource = 'product' AND p.action = 'delete')
                OR (p.resource IN ('category', 'attribute', 'refund') AND p.action IN ('create', 'update'))
                OR p.resource = 'shipping'
                OR (p.resource = 'report' AND p.action = 'create')
            WHEN 'staff' THEN p.action = 'read'
                OR (p.resource IN ('product', 'order') AND p.action IN ('create', 'update'))
            WHEN 'viewer' THEN p.action = 'read'
            ELSE false
        END
        ORDER BY roles.id, p.id;
        """#)
}
