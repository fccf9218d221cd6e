/// What an audit row is about: rows of the database, named as the `audit_log.target`
/// column stores them (`org:7`, `org:7 user:42`, `role:staff`, `product:9`, `variant:90`,
/// `payout:3`). These are not cache keys, though some read alike: keys come only from the
/// keyspace registry.
public enum AuditTarget: Sendable, Hashable, CustomStringConvertible {
    case org(Int)
    /// A user's membership in an org.
    case membership(orgId: Int, userId: Int)
    case role(String)
    case product(Int)
    case variant(Int)
    case payout(Int)

    /// The text stored in `audit_log.target` and shown in reports.
    public var description: String {
        switch self {
        case .org(let id): "org:\(id)"
        case .membership(let orgId, let userId): "org:\(orgId) user:\(userId)"
        case .role(let name): "role:\(name)"
        case .product(let id): "product:\(id)"
        case .variant(let id): "variant:\(id)"
        case .payout(let id): "payout:\(id)"
        }
    }
}
