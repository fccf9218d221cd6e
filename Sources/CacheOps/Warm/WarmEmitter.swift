import Keyspace
import Postgres
import Support

/// Runs one family's `WarmPlan`: turns its COPY rows into keys and values as they stream
/// in, per the plan's layout, without querying per key. Every family goes through here.
final class WarmEmitter {
    let plan: WarmPlan
    /// The plan's shape, taken apart once: numbers in `layout`, programs in properties,
    /// so a row reads them without copying (or counting references to) the plan's arrays.
    private enum Layout {
        case row
        case group(presence: Int?, always: Bool)
        case tree(id: Int, parent: Int)
        case catalog(width: Int, mask: Int, denied: Int)
    }

    private let layout: Layout
    /// A row layout's value, a group's list item, a tree's node fields.
    private let program: WarmProgram
    /// A group's value up to its list, and what closes it.
    private let head: WarmProgram
    private let tail: [UInt8]
    /// The key's parts as plain numbers (a constant by its index in `constants`): read
    /// for every key, they are copied without touching a reference count.
    private enum KeyPart {
        case column(Int, decode: Bool)
        case constant(Int)
        case catalog(Int)
    }

    private let key: [KeyPart]
    private let constants: [[UInt8]]
    private let renderer: KeyRenderer
    /// The TTL when it does not depend on the row.
    private let fixedTTL: Int?
    /// Group layouts: the open group, and for each key part the stored column holding it.
    private var group: WarmGroup
    private let groupSlots: [Int]
    /// Catalog layout: the entries' columns, entry after entry.
    private var catalog: [[UInt8]] = []
    /// Tree layout: every row's node, in row order.
    private var nodes: [WarmTreeNode] = []

    /// The one place a family's keys get their prefix: the bound keyspace's.
    init(_ plan: WarmPlan, in keyspace: BoundKeyspace) throws {
        self.plan = plan
        var constants: [[UInt8]] = []
        key = plan.key.map { part in
            switch part {
            case .column(let column, let decode): return .column(column, decode: decode)
            case .catalog(let column): return .catalog(column)
            case .constant(let bytes):
                constants.append(bytes)
                return .constant(constants.count - 1)
            }
        }
        self.constants = constants
        var trusted = Set<String>()
        var groupColumns: [Int] = []
        var groupSlots: [Int] = []
        for (parameter, part) in zip(plan.family.parameters, plan.key) {
            groupSlots.append(groupColumns.count)
            switch part {
            case .column(let column, _): groupColumns.append(column)
            // Checked once: constants by the plan, catalog entries when they are read.
            case .constant, .catalog: trusted.insert(parameter.name)
            }
        }
        renderer = try KeyRenderer(plan.family, prefix: keyspace.prefix, trusted: trusted)
        if case .fixed(let seconds) = plan.ttl { fixedTTL = seconds } else { fixedTTL = nil }
        group = WarmGroup(columns: groupColumns)
        self.groupSlots = groupSlots
        let none = WarmProgram(literals: [], steps: [])
        switch plan.shape {
        case .row(let value):
            (layout, program, head, tail) = (.row, value, none, [])
        case .group(let head, let item, let presence, let tail, let always):
            (layout, program, self.head, self.tail) = (.group(presence: presence, always: always), item, head, tail)
        case .tree(let node, let id, let parent, _, _):
            (layout, program, head, tail) = (.tree(id: id, parent: parent), node, none, [])
        case .catalog(_, let width, let mask, let denied):
            (layout, program, head, tail) = (.catalog(width: width, mask: mask, denied: denied), none, none, [])
        }
    }

    /// Reads what the rows need besides themselves (a catalog), in the same transaction
    /// and snapshot as the COPY.
    func prepare(_ connection: PostgresConnection) throws {
        guard case .catalog(let query, let width, _, _) = plan.shape else { return }
        let parameters = plan.family.parameters
        catalog = []
        for row in try connection.query(query) {
            var entry = [[UInt8]](repeating: [], count: width)
            for (parameter, part) in zip(parameters, key) {
                guard case .catalog(let column) = part else { continue }
                let value = try row.requiredString(column)
                guard parameter.kind.accepts(value) else {
                    throw KeyspaceError.invalidParameter(
                        template: plan.family.pattern, name: parameter.name, value: value,
                        expected: parameter.kind.description)
                }
                entry[column] = Array(value.utf8)
            }
            catalog.append(contentsOf: entry)
        }
    }

    /// One COPY row. Each layout has a function of its own, kept apart so that the
    /// compiler inlines the byte writing of each (a row's path is short: the stock family
    /// sends a million rows).
    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws {
        switch layout {
        case .row:
            try consumeRow(row, &sink)
        case .group(let presence, let always):
            try consumeGroupRow(row, presence: presence, always: always, &sink)
        case .tree(let id, let parent):
            try consumeNode(row, id: id, parent: parent)
        case .catalog(let width, let mask, let denied):
            try consumeCatalog(row, width: width, mask: row.raw(mask), denied: try row.bool(denied), &sink)
        }
    }

    @inline(never)
    private func consumeRow(_ row: CopyRow, _ sink: inout WarmSink) throws {
        try sink.emit(
            ttlSeconds: try ttl(row),
            key: { out in try renderer.append(to: &out) { part, out in appendPart(part, row, [], entry: 0, to: &out) } },
            value: { out in try program.write(row, to: &out) })
    }

    @inline(never)
    private func consumeGroupRow(_ row: CopyRow, presence: Int?, always: Bool, _ sink: inout WarmSink) throws {
        if always {
            if !group.isOpen { group.openWhole(head) }
        } else if group.isNew(row) {
            try finish(&sink)
            group.open(row)
            try head.write(row, to: &group.value)
        }
        if let presence, row.isNull(presence) { return }
        group.beginItem()
        try program.write(row, to: &group.value)
    }

    private func consumeNode(_ row: CopyRow, id: Int, parent: Int) throws {
        var fields: [UInt8] = []
        try program.write(row, to: &fields)
        nodes.append(WarmTreeNode(id: try row.int64(id), parent: row.isNull(parent) ? nil : try row.int64(parent), fields: fields))
    }

    /// After the last row: emits what is still pending (the last group, the tree).
    func finish(_ sink: inout WarmSink) throws {
        switch layout {
        case .row, .catalog:
            return
        case .group(_, let always):
            if always && !group.isOpen { group.openWhole(head) }
            guard group.isOpen else { return }
            group.value.append(contentsOf: tail)
            group.isOpen = false
            try sink.emit(
                ttlSeconds: fixedTTL ?? 0,
                key: { out in
                    try renderer.append(to: &out) { part, out in
                        switch key[part] {
                        case .column(_, let decode): group.appendColumn(groupSlots[part], decode: decode, to: &out)
                        case .constant(let index): out.append(contentsOf: constants[index])
                        case .catalog: break
                        }
                    }
                },
                value: { out in out.append(contentsOf: group.value) })
        case .tree:
            guard case .tree(_, _, _, let children, let maxDepth) = plan.shape else { return }
            let value = try WarmTreeNode.write(nodes, children: children, maxDepth: maxDepth, family: plan.family.name)
            nodes = []
            try sink.emit(
                ttlSeconds: fixedTTL ?? 0,
                key: { out in try renderer.append(to: &out) { part, out in appendConstant(part, to: &out) } },
                value: { out in out.append(contentsOf: value) })
        }
    }

    /// A key per catalog entry: `true` when the row's mask grants the entry and the row is
    /// not denied. The hot path of a warm (a million keys): nothing is allocated per key.
    @inline(never)
    private func consumeCatalog(
        _ row: CopyRow, width: Int, mask: UnsafeBufferPointer<UInt8>, denied: Bool, _ sink: inout WarmSink
    ) throws {
        let entries = catalog.count / max(width, 1)
        guard mask.count == entries else {
            throw WWError.internalError("warm \(plan.family.name): a row's mask covers \(mask.count) entries, the catalog has \(entries)")
        }
        let ttl = try self.ttl(row)
        // Read once per row: a class's `var` is checked for exclusive access at each read.
        let catalog = self.catalog
        for entry in 0..<entries {
            let granted = !denied && mask[entry] == UInt8(ascii: "t")
            try sink.emit(
                ttlSeconds: ttl,
                key: { out in
                    try renderer.append(to: &out) { part, out in appendPart(part, row, catalog, entry: entry * width, to: &out) }
                },
                value: { out in if granted { out.append("true") } else { out.append("false") } })
        }
    }

    /// Key parameter `part` of a row (and of the catalog entry starting at `entry`).
    @inline(__always)
    private func appendPart(_ part: Int, _ row: CopyRow, _ catalog: [[UInt8]], entry: Int, to out: inout [UInt8]) {
        switch key[part] {
        case .column(let column, let decode):
            let field = row.raw(column)
            if decode, field.contains(UInt8(ascii: "\\")) {
                CopyRows.unescape(field) { out.append($0) }
            } else {
                out.append(field)
            }
        case .constant(let index):
            out.append(contentsOf: constants[index])
        case .catalog(let column):
            out.append(contentsOf: catalog[entry + column])
        }
    }

    private func appendConstant(_ part: Int, to out: inout [UInt8]) {
        if case .constant(let index) = key[part] { out.append(contentsOf: constants[index]) }
    }

    /// The row's key's TTL. A TTL by parameter is one the registry lists for each value
    /// the plan allows, so an unknown value gets the policy's default.
    @inline(__always)
    private func ttl(_ row: CopyRow) throws -> Int {
        if let fixedTTL { return fixedTTL }
        guard case .byColumn(let part, let values, let otherwise) = plan.ttl, case .column(let column, _) = key[part] else {
            throw WWError.internalError("warm \(plan.family.name): no TTL for the row")
        }
        let field = row.raw(column)
        return values.first { $0.0.elementsEqual(field) }?.1 ?? otherwise
    }
}
