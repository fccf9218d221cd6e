import Postgres
import Support

/// An organization's lifecycle state (`organizations.status`).
public enum OrganizationStatus: String, Sendable, CaseIterable, Encodable {
    /// Applied, not yet approved. Its members hold their roles' permissions, so an owner
    /// can prepare the organization before approval (see `PermissionService.check`).
    case pending
    case active
    /// Every permission in it is denied until it is activated again.
    case suspended

    /// Parses `--status`; anything else is a usage error.
    public static func parse(_ text: String) throws -> OrganizationStatus {
        guard let status = OrganizationStatus(rawValue: text) else {
            throw WWError.usage("unknown org status '\(text)' (expected \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return status
    }
}

/// An organization as `orgs list` and `orgs show` print it: the app's camelCase fields,
/// money and rates as decimal strings, timestamps in ISO-8601.
public struct Organization: Sendable, Encodable, Equatable {
    public var id: Int
    public var name: String
    public var slug: String
    public var status: OrganizationStatus
    public var commissionRate: ExactDecimal
    public var suspendedReason: String?
    public var suspendedAt: String?
    public var memberCount: Int
    public var createdAt: String
    public var updatedAt: String

    /// The columns `init(row:)` reads, for `SELECT … FROM organizations o`.
    static let columns = """
        o.id, o.name, o.slug, o.status, o.commission_rate, o.suspended_reason, o.suspended_at,
        o.created_at, o.updated_at,
        (SELECT count(*) FROM organization_users m WHERE m.organization_id = o.id) AS member_count
        """

    init(row: PostgresRow) throws {
        id = try row.requiredInt("id")
        name = try row.requiredString("name")
        slug = try row.requiredString("slug")
        let status = try row.requiredString("status")
        guard let parsed = OrganizationStatus(rawValue: status) else {
            throw WWError.internalError("organization \(id) has an unknown status '\(status)'")
        }
        self.status = parsed
        commissionRate = try row.requiredDecimal("commission_rate")
        suspendedReason = row.string("suspended_reason")
        suspendedAt = row.isoTimestamp("suspended_at")
        memberCount = row.int("member_count") ?? 0
        createdAt = try row.requiredIsoTimestamp("created_at")
        updatedAt = try row.requiredIsoTimestamp("updated_at")
    }

    /// The fields an audit row and a mutation report show for before/after.
    var auditValue: JSONValue {
        .object([
            ("name", .string(name)),
            ("slug", .string(slug)),
            ("status", .string(status.rawValue)),
            ("commissionRate", .string(commissionRate.description)),
            ("suspendedReason", suspendedReason.map(JSONValue.string) ?? .null),
        ])
    }
}

/// One member of an organization (`orgs members`).
public struct OrganizationMember: Sendable, Encodable, Equatable {
    public var userId: Int
    public var name: String
    public var email: String
    public var role: String
    public var joinedAt: String
}
