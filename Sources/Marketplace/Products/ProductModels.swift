import Support

/// `products.status`: draft (not listed), active (listed), archived (withdrawn, kept for
/// order history).
public enum ProductStatus: String, Sendable, CaseIterable, Encodable {
    case draft, active, archived
}

/// A product as `products list` shows it.
public struct ProductSummary: Sendable, Encodable, Equatable {
    public var id: Int
    public var organizationId: Int
    public var categoryId: Int
    public var name: String
    public var slug: String
    public var status: String
    public var price: ExactDecimal
    public var currency: String
    public var updatedAt: String
}

/// A variant with its stock.
public struct ProductVariantInfo: Sendable, Encodable, Equatable {
    public var id: Int
    public var sku: String
    public var name: String
    public var price: ExactDecimal
    public var stock: Int
}

/// A product as `products show` shows it.
public struct ProductDetail: Sendable, Encodable {
    public var id: Int
    public var organizationId: Int
    public var organizationName: String
    public var categoryId: Int
    public var categoryName: String
    public var name: String
    public var slug: String
    public var description: String
    public var status: String
    public var price: ExactDecimal
    public var currency: String
    /// The rate `effective_commission_rate()` picks for the product, as a decimal string.
    public var commissionRate: ExactDecimal
    public var variantCount: Int
    public var createdAt: String
    public var updatedAt: String
    /// With `--with-variants`; nil otherwise.
    public var variants: [ProductVariantInfo]?
}

/// One node of the category tree.
public struct CategoryNode: Sendable, Encodable, Equatable {
    public var id: Int
    public var parentId: Int?
    public var name: String
    public var slug: String
    public var position: Int
    /// Products directly in this category (any status).
    public var productCount: Int
    public var children: [CategoryNode]
}

/// Filters of `products list`.
public struct ProductFilter: Sendable {
    public var organizationId: Int?
    public var categoryId: Int?
    public var status: ProductStatus?
    public var limit: Int

    public init(organizationId: Int? = nil, categoryId: Int? = nil, status: ProductStatus? = nil, limit: Int = 100) {
        self.organizationId = organizationId
        self.categoryId = categoryId
        self.status = status
        self.limit = limit
    }
}
