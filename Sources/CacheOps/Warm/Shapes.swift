// The app's models as cached JSON, shared by the families that embed them. Field names
// are the Prisma models' camelCase fields in table column order; ids and counts are
// numbers, money and rates decimal strings with the column's scale (`"19.90"`,
// `"0.1000"`), timestamps ISO-8601 in UTC with milliseconds, NULL as `null`.
//
// Each shape has the SELECT list it reads (with a table alias) and a writer for its
// fields (without the braces, so a family can add nested fields before closing).

/// Organization: `{id, name, slug, status, commissionRate, suspendedReason, suspendedAt,
/// createdAt, updatedAt}`; status is pending, active or suspended.
enum OrganizationShape {
    static let columnCount = 9

    static func columns(_ a: String) -> String {
        "\(a).id, \(a).name, \(a).slug, \(a).status, \(a).commission_rate, \(a).suspended_reason, "
            + "\(a).suspended_at, \(a).created_at, \(a).updated_at"
    }

    static func appendFields(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(#""id":"#)
        out.jsonNumber(row, c)
        out.append(#","name":"#)
        out.jsonString(row, c + 1)
        out.append(#","slug":"#)
        out.jsonString(row, c + 2)
        out.append(#","status":"#)
        out.jsonString(row, c + 3)
        out.append(#","commissionRate":"#)
        out.jsonDecimalString(row, c + 4)
        out.append(#","suspendedReason":"#)
        out.jsonString(row, c + 5)
        out.append(#","suspendedAt":"#)
        try out.jsonTimestamp(row, c + 6)
        out.append(#","createdAt":"#)
        try out.jsonTimestamp(row, c + 7)
        out.append(#","updatedAt":"#)
        try out.jsonTimestamp(row, c + 8)
    }
}

/// OrganizationUser (a membership) with its role's name: `{id, userId, organizationId,
/// roleId, role, createdAt, updatedAt}`.
enum MembershipShape {
    static let columnCount = 7

    /// `m` is organization_users, `r` roles.
    static func columns(_ m: String, _ r: String) -> String {
        "\(m).id, \(m).user_id, \(m).organization_id, \(m).role_id, \(r).name, \(m).created_at, \(m).updated_at"
    }

    static func appendFields(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(#""id":"#)
        out.jsonNumber(row, c)
        out.append(#","userId":"#)
        out.jsonNumber(row, c + 1)
        out.append(#","organizationId":"#)
        out.jsonNumber(row, c + 2)
        out.append(#","roleId":"#)
        out.jsonNumber(row, c + 3)
        out.append(#","role":"#)
        out.jsonString(row, c + 4)
        out.append(#","createdAt":"#)
        try out.jsonTimestamp(row, c + 5)
        out.append(#","updatedAt":"#)
        try out.jsonTimestamp(row, c + 6)
    }
}

/// A member's user, as member lists show it: `{id, email, name}`.
enum UserSummaryShape {
    static let columnCount = 3

    static func columns(_ a: String) -> String { "\(a).id, \(a).email, \(a).name" }

    static func appendFields(_ row: CopyRow, at c: Int, to out: inout [UInt8]) {
        out.append(#""id":"#)
        out.jsonNumber(row, c)
        out.append(#","email":"#)
        out.jsonString(row, c + 1)
        out.append(#","name":"#)
        out.jsonString(row, c + 2)
    }
}

/// Product without variants: `{id, organizationId, categoryId, name, slug, description,
/// status, price, currency, createdAt, updatedAt}`; price a decimal string.
enum ProductShape {
    static let columnCount = 11

    static func columns(_ a: String) -> String {
        "\(a).id, \(a).organization_id, \(a).category_id, \(a).name, \(a).slug, \(a).description, "
            + "\(a).status, \(a).price, \(a).currency, \(a).created_at, \(a).updated_at"
    }

    static func appendFields(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(#""id":"#)
        out.jsonNumber(row, c)
        out.append(#","organizationId":"#)
        out.jsonNumber(row, c + 1)
        out.append(#","categoryId":"#)
        out.jsonNumber(row, c + 2)
        out.append(#","name":"#)
        out.jsonString(row, c + 3)
        out.append(#","slug":"#)
        out.jsonString(row, c + 4)
        out.append(#","description":"#)
        out.jsonString(row, c + 5)
        out.append(#","status":"#)
        out.jsonString(row, c + 6)
        out.append(#","price":"#)
        out.jsonDecimalString(row, c + 7)
        out.append(#","currency":"#)
        out.jsonString(row, c + 8)
        out.append(#","createdAt":"#)
        try out.jsonTimestamp(row, c + 9)
        out.append(#","updatedAt":"#)
        try out.jsonTimestamp(row, c + 10)
    }

    /// `{…}`: the whole object.
    static func append(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(UInt8(ascii: "{"))
        try appendFields(row, at: c, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}

/// ProductVariant: `{id, productId, sku, name, price, stock, createdAt, updatedAt}`;
/// stock a number.
enum VariantShape {
    static let columnCount = 8

    static func columns(_ a: String) -> String {
        "\(a).id, \(a).product_id, \(a).sku, \(a).name, \(a).price, \(a).stock, \(a).created_at, \(a).updated_at"
    }

    static func appendFields(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(#""id":"#)
        out.jsonNumber(row, c)
        out.append(#","productId":"#)
        out.jsonNumber(row, c + 1)
        out.append(#","sku":"#)
        out.jsonString(row, c + 2)
        out.append(#","name":"#)
        out.jsonString(row, c + 3)
        out.append(#","price":"#)
        out.jsonDecimalString(row, c + 4)
        out.append(#","stock":"#)
        out.jsonNumber(row, c + 5)
        out.append(#","createdAt":"#)
        try out.jsonTimestamp(row, c + 6)
        out.append(#","updatedAt":"#)
        try out.jsonTimestamp(row, c + 7)
    }
}

/// OrderItem: `{id, orderId, productId, variantId, organizationId, quantity, unitPrice,
/// commissionAmount, vendorAmount, status, createdAt, updatedAt}`.
enum OrderItemShape {
    static let columnCount = 12

    static func columns(_ a: String) -> String {
        "\(a).id, \(a).order_id, \(a).product_id, \(a).variant_id, \(a).organization_id, \(a).quantity, "
            + "\(a).unit_price, \(a).commission_amount, \(a).vendor_amount, \(a).status, \(a).created_at, \(a).updated_at"
    }

    static func appendFields(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(#""id":"#)
        out.jsonNumber(row, c)
        out.append(#","orderId":"#)
        out.jsonNumber(row, c + 1)
        out.append(#","productId":"#)
        out.jsonNumber(row, c + 2)
        out.append(#","variantId":"#)
        out.jsonNumber(row, c + 3)
        out.append(#","organizationId":"#)
        out.jsonNumber(row, c + 4)
        out.append(#","quantity":"#)
        out.jsonNumber(row, c + 5)
        out.append(#","unitPrice":"#)
        out.jsonDecimalString(row, c + 6)
        out.append(#","commissionAmount":"#)
        out.jsonDecimalString(row, c + 7)
        out.append(#","vendorAmount":"#)
        out.jsonDecimalString(row, c + 8)
        out.append(#","status":"#)
        out.jsonString(row, c + 9)
        out.append(#","createdAt":"#)
        try out.jsonTimestamp(row, c + 10)
        out.append(#","updatedAt":"#)
        try out.jsonTimestamp(row, c + 11)
    }
}

/// Attribute definition: `{id, entityType, code, label, dataType, options, isRequired,
/// createdAt, updatedAt}`; options the stored JSON array (enums) or null.
enum AttributeShape {
    static let columnCount = 9

    static func columns(_ a: String) -> String {
        "\(a).id, \(a).entity_type, \(a).code, \(a).label, \(a).data_type, \(a).options, \(a).is_required, "
            + "\(a).created_at, \(a).updated_at"
    }

    static func append(_ row: CopyRow, at c: Int, to out: inout [UInt8]) throws {
        out.append(#"{"id":"#)
        out.jsonNumber(row, c)
        out.append(#","entityType":"#)
        out.jsonString(row, c + 1)
        out.append(#","code":"#)
        out.jsonString(row, c + 2)
        out.append(#","label":"#)
        out.jsonString(row, c + 3)
        out.append(#","dataType":"#)
        out.jsonString(row, c + 4)
        out.append(#","options":"#)
        try out.jsonDocument(row, c + 5)
        out.append(#","isRequired":"#)
        try out.jsonBool(row, c + 6)
        out.append(#","createdAt":"#)
        try out.jsonTimestamp(row, c + 7)
        out.append(#","updatedAt":"#)
        try out.jsonTimestamp(row, c + 8)
        out.append(UInt8(ascii: "}"))
    }
}
