extension WarmDeclaration {
    /// `attr:entity:{entityType}` → the entity type's attribute definitions by id:
    /// `[Attribute]` (see `WarmModel.attribute`). Keys: the entity types that have
    /// attributes. Not per org, user or product: only a warm without scope writes it.
    static let attrEntity = WarmDeclaration(
        .attrEntity, layout: .group, key: [.column("a.entity_type")],
        value: .list(.object(WarmModel.attribute.fields("a"))),
        from: { _ in "FROM attributes a" }, orderBy: ["a.entity_type", "a.id"])

    /// `attr:{attrId}` → one attribute definition (see `WarmModel.attribute`), for every
    /// attribute.
    static let attr = WarmDeclaration(
        .attr, key: [.column("a.id")], value: .object(WarmModel.attribute.fields("a")),
        from: { _ in "FROM attributes a" }, orderBy: ["a.id"])
}
