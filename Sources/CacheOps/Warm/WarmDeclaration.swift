import Keyspace

/// What a family's keys and values are, declared: where the rows come from, which columns
/// make each key parameter, and the JSON fields of the value with their kinds. One
/// emitter (`WarmEmitter`) runs every declaration: `WarmPlan` derives the SELECT list and
/// every column index from the declaration, so no index is written by hand, and any
/// inconsistency (a key without its parameters, a list where none can be, a group's rows
/// not ordered by its key) is an error when the plan is made, before a warm starts.
///
/// The query is `WITH with SELECT (derived) from WHERE (scope filter) AND condition
/// GROUP BY groupBy ORDER BY orderBy`. It reads the scope's id and the reference time
/// through the transaction's settings (`WarmSQL.scopeID`, `WarmSQL.now`), which the
/// pipeline sets with `set_config` parameters: COPY cannot take bind parameters, and no
/// value is ever formatted into SQL.
struct WarmDeclaration: Sendable {
    let family: KeyFamily
    /// The column that narrows the rows to the scope's entity, for each scope that reaches
    /// the family (a warm without scope always does).
    let scopes: [WarmScope.Kind: String]
    let layout: WarmLayout
    /// The key's parameters, in the template's order.
    let key: [WarmKeyPart]
    let value: WarmValue
    /// `WITH` items (without the keyword), nil for none.
    let with: (@Sendable (WarmQueryScope) throws -> String)?
    /// The FROM clause with its joins.
    let from: @Sendable (WarmQueryScope) -> String
    /// What the rows must meet besides the scope, nil for nothing.
    let condition: String?
    let groupBy: [String]
    let orderBy: [String]

    init(
        _ family: KeyFamily, scopes: [WarmScope.Kind: String] = [:], layout: WarmLayout = .row, key: [WarmKeyPart],
        value: WarmValue, with: (@Sendable (WarmQueryScope) throws -> String)? = nil,
        from: @escaping @Sendable (WarmQueryScope) -> String, where condition: String? = nil, groupBy: [String] = [],
        orderBy: [String] = []
    ) {
        self.family = family
        self.scopes = scopes
        self.layout = layout
        self.key = key
        self.value = value
        self.with = with
        self.from = from
        self.condition = condition
        self.groupBy = groupBy
        self.orderBy = orderBy
    }
}

/// How rows become keys.
enum WarmLayout: Sendable {
    /// A key per row.
    case row
    /// A key per run of rows with the same key columns (`orderBy` starts with them): the
    /// value's one `list` holds an item per row of the run, the rest of the value is read
    /// from the run's first row.
    case group
    /// One key for all the rows, written even when there are none; its key parts are
    /// constants. The value's one `list` holds an item per row.
    case whole
    /// One key holding the rows as a tree: the value is the roots, each row's object with
    /// its children (the rows whose `parent` is its `id`) in a field `children`, in row
    /// order. Rows in a parent cycle hang from no root and are left out; nesting deeper
    /// than `maxDepth` is a data error.
    case tree(id: String, parent: String, children: String, maxDepth: Int)
    /// A key per row and per entry of a catalog (`SELECT columns from`, read before the
    /// rows in the same snapshot), whose columns the key reads with `WarmKeyPart.catalog`.
    /// The value is a `grant`.
    case catalog(columns: [String], from: String)
}

/// Where a key parameter's value comes from.
enum WarmKeyPart: Sendable {
    /// An SQL expression of the row.
    case column(String)
    /// A fixed value.
    case constant(String)
    /// A column of the catalog entry (`WarmLayout.catalog`).
    case catalog(String)
}

/// A JSON value written from a row (or, for a list, from the rows of a group).
indirect enum WarmValue: Sendable {
    /// An SQL expression as a JSON scalar of `kind`; NULL as `null`.
    case column(String, WarmValueKind)
    case object([WarmField])
    /// An array with an item per row of the key's rows; a row whose `presentWhen`
    /// expression is NULL (the empty side of a LEFT JOIN) adds no item.
    case list(WarmValue, presentWhen: String? = nil)
    /// `true` when the catalog entry's character in `mask` (one `t` or `f` per entry, in
    /// catalog order) is `t` and `denied` is false, else `false`.
    case grant(mask: String, denied: String)
}

/// How a column is written as JSON, as the app's `JSON.stringify` writes it.
enum WarmValueKind: Sendable {
    /// An integer column as a JSON number.
    case integer
    /// A text column as a JSON string.
    case string
    /// A NUMERIC column as a decimal string with the column's scale (`"19.90"`).
    case decimal
    case boolean
    /// A timestamptz column as the app's ISO-8601 string (`"2026-11-15T12:00:00.000Z"`).
    case timestamp
    /// A json/jsonb column, re-serialized compactly.
    case document
}

/// One member of a JSON object.
struct WarmField: Sendable {
    let name: String
    let value: WarmValue

    static func integer(_ name: String, _ sql: String) -> WarmField { WarmField(name: name, value: .column(sql, .integer)) }
    static func string(_ name: String, _ sql: String) -> WarmField { WarmField(name: name, value: .column(sql, .string)) }
    static func decimal(_ name: String, _ sql: String) -> WarmField { WarmField(name: name, value: .column(sql, .decimal)) }
    static func boolean(_ name: String, _ sql: String) -> WarmField { WarmField(name: name, value: .column(sql, .boolean)) }
    static func timestamp(_ name: String, _ sql: String) -> WarmField { WarmField(name: name, value: .column(sql, .timestamp)) }
    static func document(_ name: String, _ sql: String) -> WarmField { WarmField(name: name, value: .column(sql, .document)) }
    static func object(_ name: String, _ fields: [WarmField]) -> WarmField { WarmField(name: name, value: .object(fields)) }
    static func list(_ name: String, _ item: WarmValue, presentWhen: String? = nil) -> WarmField {
        WarmField(name: name, value: .list(item, presentWhen: presentWhen))
    }
}

/// A model as cached JSON: its fields with columns named without a table alias, which
/// `fields(alias)` adds (a column already qualified, such as a membership's `r.name`, is
/// kept as it is).
struct WarmModel: Sendable {
    let fields: [WarmField]

    init(_ fields: [WarmField]) {
        self.fields = fields
    }

    func fields(_ alias: String) -> [WarmField] {
        fields.map { field in
            guard case .column(let column, let kind) = field.value, !column.contains(".") else { return field }
            return WarmField(name: field.name, value: .column("\(alias).\(column)", kind))
        }
    }
}

/// What a declaration's SQL sees of the scope.
struct WarmQueryScope: Sendable {
    let kind: WarmScope.Kind
    /// The declaration's scope columns.
    let columns: [WarmScope.Kind: String]

    /// `column = scope id` for the scope's declared column, `true` when the scope
    /// declares none (a warm without scope).
    var filter: String { WarmSQL.filter(kind, columns) }

    /// The same condition on another column (a subquery's own), `true` when the scope
    /// declares none.
    func filter(_ column: String) -> String {
        columns[kind] == nil ? "true" : "\(column) = \(WarmSQL.scopeID)"
    }

    /// `sql` for a scope of `kind` (a join that scope's column needs), else nothing.
    func only(_ kind: WarmScope.Kind, _ sql: String) -> String {
        self.kind == kind ? sql : ""
    }
}

/// SQL fragments shared by the declarations.
enum WarmSQL {
    /// The scope's entity id (set by the pipeline with `set_config`).
    static let scopeID = "current_setting('wwctl.scope_id')::bigint"
    /// The reference time: now, or the time a test fixes (admin periods, closed months).
    static let now = "current_setting('wwctl.now')::timestamptz"
    /// Order item statuses that count as sold (paid and not cancelled or refunded).
    static let soldStatuses = "('paid', 'shipped', 'delivered')"
    /// An order's open statuses (schema: pending, paid, shipped).
    static let openStatuses = "('pending', 'paid', 'shipped')"

    /// `WHERE`-ready condition that keeps the scope's rows: `column = scope id` with the
    /// column `columns` names for the scope, `true` when it names none (`.all`). A scope
    /// that reaches rows through another table names a column of that table, which the
    /// query joins for that scope only.
    static func filter(_ scope: WarmScope.Kind, _ columns: [WarmScope.Kind: String]) -> String {
        columns[scope].map { "\($0) = \(scopeID)" } ?? "true"
    }

    /// The columns of products aliased `p` that an org or product scope narrows by.
    static let productScope: [WarmScope.Kind: String] = [.org: "p.organization_id", .product: "p.id"]
}
