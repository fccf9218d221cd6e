import Support

/// How much data `wwctl db seed` generates.
///
///              orgs    users  memberships  products  variants  order items
///   tiny         12      100           40       500    ~1,000          ~600
///   small       100    5,000        1,250    25,000   ~50,000       ~50,000
///   medium      500   25,000        6,250   125,000  ~250,000      ~250,000
///   large     2,000  100,000       25,000   500,000 ~1,000,000    ~1,000,000
///
/// `large` is the benchmark size: 25,000 memberships × the 44-pair permission catalog make
/// the `perm` cache family about 1,100,000 keys.
public enum SeedScale: String, Sendable, CaseIterable, Codable {
    case tiny, small, medium, large

    /// Parses a `--scale` argument; an unknown name is a usage error (exit 64).
    public static func parse(_ text: String) throws -> SeedScale {
        guard let scale = SeedScale(rawValue: text.lowercased()) else {
            throw WWError.usage(
                "unknown seed scale '\(text)' (expected \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return scale
    }

    public var sizes: SeedSizes {
        switch self {
        case .tiny:
            SeedSizes(organizations: 12, users: 100, memberships: 40, products: 500, orderItems: 600, carts: 20)
        case .small:
            SeedSizes(organizations: 100, users: 5_000, memberships: 1_250, products: 25_000, orderItems: 50_000, carts: 1_000)
        case .medium:
            SeedSizes(organizations: 500, users: 25_000, memberships: 6_250, products: 125_000, orderItems: 250_000, carts: 5_000)
        case .large:
            SeedSizes(organizations: 2_000, users: 100_000, memberships: 25_000, products: 500_000, orderItems: 1_000_000, carts: 20_000)
        }
    }
}

/// The target sizes of a scale. Organizations, users, memberships, products and carts are
/// exact; variants (1–3 per product, 2 on average) and order items (1–5 per order) come out
/// close to their targets and are reported exactly by `SeedReport`.
public struct SeedSizes: Sendable, Equatable {
    public let organizations: Int
    public let users: Int
    public let memberships: Int
    public let products: Int
    public let orderItems: Int
    public let carts: Int

    /// Orders: the item target over the mean items per order (2.33, see `SeedWorld.itemCount`).
    public var orders: Int { max(1, orderItems * 100 / 233) }
}
