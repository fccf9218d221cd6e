/// The permission catalog migration 2 creates (`resource × action`), as the binary knows it
/// without a database: `perms check` completes its RESOURCE and ACTION from it, in the REPL
/// and in the shells. MigratorTests checks it against the rows the migration inserts.
public enum PermissionCatalog {
    public static let resources = [
        "org", "member", "product", "category", "attribute", "order", "refund", "payout", "commission", "shipping", "report",
    ]
    public static let actions = ["read", "create", "update", "delete"]
}
