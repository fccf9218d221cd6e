import Keyspace
import Postgres
import Support

/// The facts an invalidation needs, read from PostgreSQL inside the change's transaction:
/// the registry turns them into key names, so nothing has to be found by SCAN.
enum AccessFacts {
    /// The whole permission catalog, in id order.
    static func permissionCatalog(_ db: PostgresConnection) throws -> [ResourceAction] {
        try db.query("SELECT resource, action FROM permissions ORDER BY id").map {
            ResourceAction(try $0.requiredString("resource"), try $0.requiredString("action"))
        }
    }

    /// The user ids of an organization's members.
    static func memberIds(ofOrg orgId: Int, _ db: PostgresConnection) throws -> [Int] {
        try db.query("SELECT user_id FROM organization_users WHERE organization_id = $1 ORDER BY user_id", [orgId]).map {
            try $0.requiredInt("user_id")
        }
    }

    /// Every membership holding a role: one query, however many there are.
    static func holders(ofRole roleId: Int, _ db: PostgresConnection) throws -> [UserOrg] {
        try db.query(
            "SELECT user_id, organization_id FROM organization_users WHERE role_id = $1 ORDER BY organization_id, user_id",
            [roleId]
        ).map {
            UserOrg(userId: try $0.requiredInt("user_id"), orgId: try $0.requiredInt("organization_id"))
        }
    }
}

/// A role as the database has it.
struct RoleRow {
    var id: Int
    var name: String

    /// The role an org keeps at least one member in (`orgs remove-member` and `set-role`
    /// refuse to take the last one away unless told to).
    static let owner = "owner"

    /// How a role row is locked while a transaction uses it.
    enum Lock: String {
        case none = ""
        /// A membership moving into the role: a concurrent grant or revoke on it (which
        /// locks it for update) waits, or is waited for. Either way the one that commits
        /// second reads the first's rows, so its invalidation covers the membership.
        case share = " FOR SHARE"
        /// A grant or revoke: serialised with each other and with memberships moving in.
        case update = " FOR UPDATE"
    }

    /// The role named `name`; `no role 'x'` (exit 65) listing the roles there are.
    static func find(_ name: String, _ db: PostgresConnection, lock: Lock = .none) throws -> RoleRow {
        let rows = try db.query("SELECT id, name FROM roles WHERE name = $1" + lock.rawValue, [name])
        guard let row = rows.first else {
            let known = (try? db.query("SELECT name FROM roles ORDER BY rank DESC").compactMap { $0.string("name") }) ?? []
            throw WWError.dataError("no role '\(name)'" + (known.isEmpty ? "" : " (roles: \(known.joined(separator: ", ")))"))
        }
        return RoleRow(id: try row.requiredInt("id"), name: try row.requiredString("name"))
    }
}

/// Existence checks with the messages of docs/CLI.md (`no org 123`, exit 65).
enum AccessLookup {
    static func requireUser(_ userId: Int, _ db: PostgresConnection) throws {
        if try db.query("SELECT 1 FROM users WHERE id = $1", [userId]).isEmpty {
            throw WWError.dataError("no user \(userId)")
        }
    }

    static func requireOrg(_ orgId: Int, _ db: PostgresConnection) throws {
        if try db.query("SELECT 1 FROM organizations WHERE id = $1", [orgId]).isEmpty {
            throw WWError.dataError("no org \(orgId)")
        }
    }
}
