// The app's models as cached JSON, shared by the families that embed them. Field names
// are the Prisma models' camelCase fields in table column order; ids and counts are
// numbers, money and rates decimal strings with the column's scale (`"19.90"`,
// `"0.1000"`), timestamps ISO-8601 in UTC with milliseconds, NULL as `null`.
//
// Each shape is a table of fields: the SELECT list it reads (with a table alias) and
// the JSON it writes follow from the same rows, so they cannot drift apart.

/// One JSON field, read from one column of a COPY row.
struct ShapeField: Sendable {
    enum Kind: Sendable {
        /// An integer column as a JSON number.
        case number
        /// A text column as a JSON string.
        case string
        /// A NUMERIC column as a decimal string (`"19.90"`).
        case decimal
        case bool
        /// A timestamptz column as the app's ISO-8601 string.
        case timestamp
        /// A json/jsonb column, re-serialized compactly.
        case document
    }

    let name: String
    /// The column, qualified by the shape's alias unless it already holds a `.`.
    let column: String
    let kind: Kind

    init(_ name: String, _ column: String, _ kind: Kind) {
        self.name = name
        self.column = column
        self.kind = kind
    }
}

/// A model as cached JSON: its fields in order, each with the column it is read from.
struct RowShape: Sendable {
    let fields: [ShapeField]
    /// `"id":` for the first field, `,"name":` for the others, as bytes, built once.
    private let keyBytes: [[UInt8]]

    init(_ fields: [ShapeField]) {
        self.fields = fields
        self.keyBytes = fields.enumerated().map { index, field in
            Array(((index == 0 ? "" : ",") + "\"\(field.name)\":").utf8)
        }
    }

    var columnCount: Int { fields.count }

    /// The SELECT list: each column qualified by `alias`, except those already qualified
    /// (a membership's `r.name` comes from the roles table).
    func columns(_ alias: String) -> String {
        fields.map { $0.column.contains(".") ? $0.column : "\(alias).\($0.column)" }.joined(separator: ", ")
    }

    /// The fields without braces, so a family can add nested fields before closing.
    func appendFields(_ row: CopyRow, at first: Int, to out: inout [UInt8]) throws {
        for index in fields.indices {
            out.append(contentsOf: keyBytes[index])
            let column = first + index
            switch fields[index].kind {
            case .number: out.jsonNumber(row, column)
            case .string: out.jsonString(row, column)
            case .decimal: out.jsonDecimalString(row, column)
            case .bool: try out.jsonBool(row, column)
            case .timestamp: try out.jsonTimestamp(row, column)
            case .document: try out.jsonDocument(row, column)
            }
        }
    }

    /// `{…}`: the whole object.
    func append(_ row: CopyRow, at first: Int, to out: inout [UInt8]) throws {
        out.append(UInt8(ascii: "{"))
        try appendFields(row, at: first, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}

/// Organization: `{id, name, slug, status, commissionRate, suspendedReason, suspendedAt,
/// createdAt, updatedAt}`; status is pending, active or suspended.
let OrganizationShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("name", "name", .string),
    ShapeField("slug", "slug", .string),
    ShapeField("status", "status", .string),
    ShapeField("commissionRate", "commission_rate", .decimal),
    ShapeField("suspendedReason", "suspended_reason", .string),
    ShapeField("suspendedAt", "suspended_at", .timestamp),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// OrganizationUser (a membership) with its role's name: `{id, userId, organizationId,
/// roleId, role, createdAt, updatedAt}`. The role name is read from the roles table, which
/// every query that reads memberships joins as `r`.
let MembershipShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("userId", "user_id", .number),
    ShapeField("organizationId", "organization_id", .number),
    ShapeField("roleId", "role_id", .number),
    ShapeField("role", "r.name", .string),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// A member's user, as member lists show it: `{id, email, name}`.
let UserSummaryShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("email", "email", .string),
    ShapeField("name", "name", .string),
])

/// Product without variants: `{id, organizationId, categoryId, name, slug, description,
/// status, price, currency, createdAt, updatedAt}`; price a decimal string.
let ProductShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("organizationId", "organization_id", .number),
    ShapeField("categoryId", "category_id", .number),
    ShapeField("name", "name", .string),
    ShapeField("slug", "slug", .string),
    ShapeField("description", "description", .string),
    ShapeField("status", "status", .string),
    ShapeField("price", "price", .decimal),
    ShapeField("currency", "currency", .string),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// ProductVariant: `{id, productId, sku, name, price, stock, createdAt, updatedAt}`;
/// stock a number.
let VariantShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("productId", "product_id", .number),
    ShapeField("sku", "sku", .string),
    ShapeField("name", "name", .string),
    ShapeField("price", "price", .decimal),
    ShapeField("stock", "stock", .number),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// OrderItem: `{id, orderId, productId, variantId, organizationId, quantity, unitPrice,
/// commissionAmount, vendorAmount, status, createdAt, updatedAt}`.
let OrderItemShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("orderId", "order_id", .number),
    ShapeField("productId", "product_id", .number),
    ShapeField("variantId", "variant_id", .number),
    ShapeField("organizationId", "organization_id", .number),
    ShapeField("quantity", "quantity", .number),
    ShapeField("unitPrice", "unit_price", .decimal),
    ShapeField("commissionAmount", "commission_amount", .decimal),
    ShapeField("vendorAmount", "vendor_amount", .decimal),
    ShapeField("status", "status", .string),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// Attribute definition: `{id, entityType, code, label, dataType, options, isRequired,
/// createdAt, updatedAt}`; options the stored JSON array (enums) or null.
let AttributeShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("entityType", "entity_type", .string),
    ShapeField("code", "code", .string),
    ShapeField("label", "label", .string),
    ShapeField("dataType", "data_type", .string),
    ShapeField("options", "options", .document),
    ShapeField("isRequired", "is_required", .bool),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// Category, without its children: `{id, parentId, name, slug, position, createdAt,
/// updatedAt}`; parentId null for a root.
let CategoryShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("parentId", "parent_id", .number),
    ShapeField("name", "name", .string),
    ShapeField("slug", "slug", .string),
    ShapeField("position", "position", .number),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// Cart, without its items: `{id, userId, createdAt, updatedAt}`.
let CartShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("userId", "user_id", .number),
    ShapeField("createdAt", "created_at", .timestamp),
    ShapeField("updatedAt", "updated_at", .timestamp),
])

/// CartItem, without its variant: `{id, cartId, variantId, quantity, addedAt}`.
let CartItemShape = RowShape([
    ShapeField("id", "id", .number),
    ShapeField("cartId", "cart_id", .number),
    ShapeField("variantId", "variant_id", .number),
    ShapeField("quantity", "quantity", .number),
    ShapeField("addedAt", "added_at", .timestamp),
])
