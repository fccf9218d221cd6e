import Keyspace
import Support

/// A declaration made ready to run for one scope: the query with its SELECT list, the
/// column of every key part and JSON field, and the value as byte-writing programs.
/// Making a plan checks the declaration; whatever is wrong with it is an internal error
/// here, before any key is written (`CacheWarmer` plans every family it warms before it
/// starts, and a test plans every declaration for every scope).
struct WarmPlan: Sendable {
    let declaration: WarmDeclaration
    let scope: WarmScope.Kind
    /// The query, without COPY.
    let query: String
    /// The SELECT list; each COPY row has these columns.
    let select: [String]
    var columnCount: Int { select.count }
    let key: [Part]
    let ttl: TTL
    let shape: Shape

    var family: KeyFamily { declaration.family }
    /// `COPY (…) TO STDOUT`.
    var copySQL: String { "COPY (" + query + ") TO STDOUT" }

    /// `COPY (…) TO STDOUT` of the rows that also meet `condition` (a re-warm's entities).
    func copySQL(where condition: String) throws -> String {
        "COPY (" + (try Self.query(declaration, scope, select, extra: condition)) + ") TO STDOUT"
    }

    /// The key parameters read from a column: their place in the template and their SQL.
    var keyColumns: [(parameter: Int, sql: String)] {
        key.enumerated().compactMap { index, part in
            guard case .column(let column, _) = part else { return nil }
            return (index, select[column])
        }
    }

    /// A key parameter's source, by column index.
    enum Part: Sendable {
        /// The row's column; `decode` when its kind may hold COPY escapes (text, not numbers).
        case column(Int, decode: Bool)
        case constant([UInt8])
        case catalog(Int)

        var isConstant: Bool {
            if case .constant = self { true } else { false }
        }
    }

    enum TTL: Sendable {
        case fixed(Int)
        /// By the value of the key part `part` (a row column): `values`, else `otherwise`.
        case byColumn(part: Int, values: [([UInt8], Int)], otherwise: Int)
    }

    /// The value's programs for the layout.
    enum Shape: Sendable {
        case row(WarmProgram)
        /// `head` from the group's first row (it opens the list), `item` per row whose
        /// `presence` column is not NULL, `tail` (literal) closes the list and the value.
        case group(head: WarmProgram, item: WarmProgram, presence: Int?, tail: [UInt8], always: Bool)
        /// `node` the object's fields without braces; `children` is `,"children":`.
        case tree(node: WarmProgram, id: Int, parent: Int, children: [UInt8], maxDepth: Int)
        /// `query` reads the catalog, `width` columns an entry.
        case catalog(query: String, width: Int, mask: Int, denied: Int)
    }

    init(_ declaration: WarmDeclaration, scope: WarmScope.Kind) throws {
        self.declaration = declaration
        let family = declaration.family
        func failure(_ message: String) -> WWError { WWError.internalError("warm \(family.name): \(message)") }
        guard scope == .all || declaration.scopes[scope] != nil else {
            throw failure("the \(scope.rawValue) scope does not reach the family")
        }
        var columns = WarmColumns()
        key = try Self.key(declaration, &columns, failure)
        ttl = try Self.ttl(family, key, declaration.layout, failure)
        shape = try Self.shape(declaration, key, &columns, failure)
        self.scope = scope
        query = try Self.query(declaration, scope, columns.select)
        select = columns.select
    }

    /// One part per template parameter, in order; the key's columns come first in the
    /// SELECT list.
    private static func key(
        _ declaration: WarmDeclaration, _ columns: inout WarmColumns, _ failure: (String) -> WWError
    ) throws -> [Part] {
        let parameters = declaration.family.parameters
        guard parameters.count == declaration.key.count else {
            throw failure("the template has \(parameters.count) parameters, the declaration gives \(declaration.key.count)")
        }
        var key: [Part] = []
        for (parameter, part) in zip(parameters, declaration.key) {
            switch part {
            case .column(let sql):
                let decode = parameter.kind != .integer && parameter.kind != .decimal
                key.append(.column(columns.index(sql), decode: decode))
            case .constant(let text):
                guard parameter.kind.accepts(text) else {
                    throw failure("'\(text)' is not \(parameter.kind.description) (parameter \(parameter.name))")
                }
                key.append(.constant(Array(text.utf8)))
            case .catalog(let name):
                guard case .catalog(let names, _) = declaration.layout, let index = names.firstIndex(of: name) else {
                    throw failure("no catalog column '\(name)' (parameter \(parameter.name))")
                }
                key.append(.catalog(index))
            }
        }
        if case .group = declaration.layout {
            let keyColumns = declaration.key.compactMap { part -> String? in
                if case .column(let sql) = part { sql } else { nil }
            }
            guard Array(declaration.orderBy.prefix(keyColumns.count)) == keyColumns else {
                throw failure("a group layout's rows are ordered by its key columns first")
            }
        }
        return key
    }

    private static func shape(
        _ declaration: WarmDeclaration, _ key: [Part], _ columns: inout WarmColumns, _ failure: (String) -> WWError
    ) throws -> Shape {
        switch declaration.layout {
        case .row:
            var program = WarmProgramBuilder()
            try program.add(declaration.value, &columns, failure)
            guard program.list == nil else { throw failure("a row layout's value has a list (a group layout groups rows)") }
            return .row(program.build())
        case .group, .whole:
            var head = WarmProgramBuilder()
            try head.add(declaration.value, &columns, failure)
            guard let list = head.list else { throw failure("a \(declaration.layout) layout's value has no list") }
            var item = WarmProgramBuilder()
            try item.add(list.item, &columns, failure)
            guard item.list == nil else { throw failure("a list inside a list's item") }
            let presence = list.presentWhen.map { columns.index($0) }
            guard case .whole = declaration.layout else {
                return .group(head: head.build(), item: item.build(), presence: presence, tail: head.tail, always: false)
            }
            // Written even without rows: nothing outside the list can come from a row.
            guard key.allSatisfy(\.isConstant) else { throw failure("a whole layout's key parts are constants") }
            guard head.isLiteral else { throw failure("a whole layout's value reads columns only in its list") }
            return .group(head: head.build(), item: item.build(), presence: presence, tail: head.tail, always: true)
        case .tree(let id, let parent, let children, let maxDepth):
            guard key.allSatisfy(\.isConstant) else { throw failure("a tree layout's key parts are constants") }
            guard case .object(let fields) = declaration.value else { throw failure("a tree's value is an object") }
            var node = WarmProgramBuilder()
            try node.addFields(fields, &columns, failure)
            guard node.list == nil else { throw failure("a tree node holds a list") }
            try WarmProgramBuilder.check(name: children, failure)
            return .tree(
                node: node.build(), id: columns.index(id), parent: columns.index(parent),
                children: Array(",\"\(children)\":".utf8), maxDepth: maxDepth)
        case .catalog(let names, let from):
            guard case .grant(let mask, let denied) = declaration.value else {
                throw failure("a catalog layout's value is a grant")
            }
            let deniedColumn = columns.index(denied)
            return .catalog(
                query: "SELECT " + names.joined(separator: ", ") + " " + from, width: names.count,
                mask: columns.index(mask), denied: deniedColumn)
        }
    }

    private static func query(
        _ declaration: WarmDeclaration, _ scope: WarmScope.Kind, _ select: [String], extra: String? = nil
    ) throws -> String {
        let queryScope = WarmQueryScope(kind: scope, columns: declaration.scopes)
        var sql = ""
        if let with = declaration.with {
            sql += "WITH " + (try with(queryScope)) + "\n"
        }
        sql += "SELECT " + select.joined(separator: ", ") + "\n" + declaration.from(queryScope)
        let conditions = (declaration.scopes[scope] == nil ? [] : [queryScope.filter]) + (declaration.condition.map { [$0] } ?? [])
            + (extra.map { ["(\($0))"] } ?? [])
        if !conditions.isEmpty { sql += "\nWHERE " + conditions.joined(separator: " AND ") }
        if !declaration.groupBy.isEmpty { sql += "\nGROUP BY " + declaration.groupBy.joined(separator: ", ") }
        if !declaration.orderBy.isEmpty { sql += "\nORDER BY " + declaration.orderBy.joined(separator: ", ") }
        return sql
    }

    private static func ttl(
        _ family: KeyFamily, _ key: [Part], _ layout: WarmLayout, _ failure: (String) -> WWError
    ) throws -> TTL {
        switch family.ttl {
        case .fixed(let seconds):
            guard seconds > 0 else { throw failure("a TTL of \(seconds) s") }
            return .fixed(seconds)
        case .perParameter(let name, let values, let otherwise):
            guard let index = family.parameters.firstIndex(where: { $0.name == name }) else {
                throw failure("the TTL depends on '\(name)', which the template does not have")
            }
            guard otherwise > 0, values.values.allSatisfy({ $0 > 0 }) else { throw failure("a TTL that is not positive") }
            switch key[index] {
            case .constant(let bytes):
                return .fixed(values[String(decoding: bytes, as: UTF8.self)] ?? otherwise)
            case .column:
                guard case .row = layout else { throw failure("a TTL by parameter needs a row layout") }
                return .byColumn(
                    part: index, values: values.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), $0.value) },
                    otherwise: otherwise)
            case .catalog:
                throw failure("the TTL depends on '\(name)', which comes from the catalog")
            }
        case .untilTokenExpiry, .none:
            throw failure("no TTL a warm can give (\(family.ttl))")
        }
    }
}

/// The SELECT list: each distinct SQL expression once, in the order first asked for.
struct WarmColumns {
    private(set) var select: [String] = []
    private var indexes: [String: Int] = [:]

    mutating func index(_ sql: String) -> Int {
        if let index = indexes[sql] { return index }
        select.append(sql)
        indexes[sql] = select.count - 1
        return select.count - 1
    }
}
