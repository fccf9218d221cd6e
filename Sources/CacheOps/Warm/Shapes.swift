// The app's models as cached JSON, shared by the families that embed them. Field names
// are the Prisma models' camelCase fields in table column order; ids and counts are
// numbers, money and rates decimal strings with the column's scale (`"19.90"`,
// `"0.1000"`), timestamps ISO-8601 in UTC with milliseconds, NULL as `null`. Columns are
// named without the table alias, which each use gives (`WarmModel.fields(_:)`).

extension WarmModel {
    /// Organization: `{id, name, slug, status, commissionRate, suspendedReason, suspendedAt,
    /// createdAt, updatedAt}`; status is pending, active or suspended.
    static let organization = WarmModel([
        .integer("id", "id"),
        .string("name", "name"),
        .string("slug", "slug"),
        .string("status", "status"),
        .decimal("commissionRate", "commission_rate"),
        .string("suspendedReason", "suspended_reason"),
        .timestamp("suspendedAt", "suspended_at"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// OrganizationUser (a membership) with its role's name: `{id, userId, organizationId,
    /// roleId, role, createdAt, updatedAt}`. The role name is read from the roles table,
    /// which every query that reads memberships joins as `r`.
    static let membership = WarmModel([
        .integer("id", "id"),
        .integer("userId", "user_id"),
        .integer("organizationId", "organization_id"),
        .integer("roleId", "role_id"),
        .string("role", "r.name"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// A member's user, as member lists show it: `{id, email, name}`.
    static let userSummary = WarmModel([
        .integer("id", "id"),
        .string("email", "email"),
        .string("name", "name"),
    ])

    /// Product without variants: `{id, organizationId, categoryId, name, slug, description,
    /// status, price, currency, createdAt, updatedAt}`; price a decimal string.
    static let product = WarmModel([
        .integer("id", "id"),
        .integer("organizationId", "organization_id"),
        .integer("categoryId", "category_id"),
        .string("name", "name"),
        .string("slug", "slug"),
        .string("description", "description"),
        .string("status", "status"),
        .decimal("price", "price"),
        .string("currency", "currency"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// ProductVariant: `{id, productId, sku, name, price, stock, createdAt, updatedAt}`;
    /// stock a number.
    static let variant = WarmModel([
        .integer("id", "id"),
        .integer("productId", "product_id"),
        .string("sku", "sku"),
        .string("name", "name"),
        .decimal("price", "price"),
        .integer("stock", "stock"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// OrderItem: `{id, orderId, productId, variantId, organizationId, quantity, unitPrice,
    /// commissionAmount, vendorAmount, status, createdAt, updatedAt}`.
    static let orderItem = WarmModel([
        .integer("id", "id"),
        .integer("orderId", "order_id"),
        .integer("productId", "product_id"),
        .integer("variantId", "variant_id"),
        .integer("organizationId", "organization_id"),
        .integer("quantity", "quantity"),
        .decimal("unitPrice", "unit_price"),
        .decimal("commissionAmount", "commission_amount"),
        .decimal("vendorAmount", "vendor_amount"),
        .string("status", "status"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// Attribute definition: `{id, entityType, code, label, dataType, options, isRequired,
    /// createdAt, updatedAt}`; options the stored JSON array (enums) or null.
    static let attribute = WarmModel([
        .integer("id", "id"),
        .string("entityType", "entity_type"),
        .string("code", "code"),
        .string("label", "label"),
        .string("dataType", "data_type"),
        .document("options", "options"),
        .boolean("isRequired", "is_required"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// Category, without its children: `{id, parentId, name, slug, position, createdAt,
    /// updatedAt}`; parentId null for a root.
    static let category = WarmModel([
        .integer("id", "id"),
        .integer("parentId", "parent_id"),
        .string("name", "name"),
        .string("slug", "slug"),
        .integer("position", "position"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// Cart, without its items: `{id, userId, createdAt, updatedAt}`.
    static let cart = WarmModel([
        .integer("id", "id"),
        .integer("userId", "user_id"),
        .timestamp("createdAt", "created_at"),
        .timestamp("updatedAt", "updated_at"),
    ])

    /// CartItem, without its variant: `{id, cartId, variantId, quantity, addedAt}`.
    static let cartItem = WarmModel([
        .integer("id", "id"),
        .integer("cartId", "cart_id"),
        .integer("variantId", "variant_id"),
        .integer("quantity", "quantity"),
        .timestamp("addedAt", "added_at"),
    ])
}
