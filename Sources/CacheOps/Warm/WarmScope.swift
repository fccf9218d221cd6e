import Keyspace
import Postgres
import Support

/// What a warm covers: everything, or what concerns one user, org or product.
///
/// - `user(U)`: U's perm keys (all U's memberships), U's `user:orgs`, U's cart.
/// - `org(O)`: O's profile, members, stats and product list; the perm keys of O's members
///   in O and their `user:orgs`; O's products (product, with-variants, commission at
///   current prices, their variants' stock); the items of open orders O sells in; O's
///   earnings in closed months.
/// - `product(P)`: P's product keys, its commission at current prices, its variants' stock.
///
/// A family a scope does not reach (the category tree under `--org`) is left out when
/// no family is named, and refused (usage error) when it is named.
public enum WarmScope: Sendable, Hashable, CustomStringConvertible {
    case all
    case user(Int64)
    case org(Int64)
    case product(Int64)

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case all, user, org, product
    }

    public var kind: Kind {
        switch self {
        case .all: .all
        case .user: .user
        case .org: .org
        case .product: .product
        }
    }

    /// The entity id, nil for `.all`.
    public var id: Int64? {
        switch self {
        case .all: nil
        case .user(let id), .org(let id), .product(let id): id
        }
    }

    /// `all`, `user:3`, `org:7`, `product:17`.
    public var description: String {
        guard let id else { return "all" }
        return "\(kind.rawValue):\(id)"
    }

    /// The name of its lock (`warm:all`, `warm:org:7`): one warm per scope at a time.
    public var lockName: String { "warm:" + description }

    /// The command-line option that selects the scope (`--org`), for messages.
    public var option: String {
        switch self {
        case .all: "no scope"
        case .user: "--user"
        case .org: "--org"
        case .product: "--product"
        }
    }

    /// Throws a data error (`no org 123`) when the scope's entity does not exist.
    func requireEntity(_ connection: PostgresConnection) throws {
        let table: String
        switch self {
        case .all: return
        case .user: table = "users"
        case .org: table = "organizations"
        case .product: table = "products"
        }
        guard let id else { return }
        let found = try connection.query("SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = $1) AS found", [id])
        guard found.first?.bool("found") == true else {
            throw WWError.dataError("no \(kind.rawValue) \(id)")
        }
    }
}

/// Which families a warm writes, from the names given and the scope.
public struct WarmSelection: Sendable, Equatable {
    /// The families to warm, in the registry's order.
    public let families: [String]
    /// Warmable families the scope does not reach (left out when no family was named).
    public let outOfScope: [String]

    /// Resolves `names` (every warmable family when empty) for `scope`. Unknown names,
    /// families that cannot be warmed and families the scope does not reach are usage
    /// errors (exit 64), the first with the nearest family name.
    public static func resolve(names: [String], scope: WarmScope) throws -> WarmSelection {
        let registry = KeyspaceRegistry.standard
        let warmable = registry.families.filter { $0.warmability.isWarmable }
        let reached = Set(warmable.filter { WarmSources.reaches($0.name, scope.kind) }.map(\.name))
        if names.isEmpty {
            return WarmSelection(
                families: warmable.map(\.name).filter(reached.contains),
                outOfScope: warmable.map(\.name).filter { !reached.contains($0) })
        }
        var wanted = Set<String>()
        for name in names {
            let family = try registry.requireFamily(named: name)
            if case .notWarmable(let reason) = family.warmability {
                throw WWError.usage("family '\(family.name)' cannot be warmed: \(reason)")
            }
            guard reached.contains(family.name) else {
                let list = warmable.map(\.name).filter(reached.contains).joined(separator: ", ")
                throw WWError.usage("family '\(family.name)' has no keys for \(scope.option) (it reaches: \(list))")
            }
            wanted.insert(family.name)
        }
        return WarmSelection(families: warmable.map(\.name).filter(wanted.contains), outOfScope: [])
    }
}
