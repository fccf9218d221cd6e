import Support

/// The open group of a group layout: the raw bytes of its key columns (COPY escapes
/// kept, compared as they are) and its value so far.
struct WarmGroup {
    /// The key parts that are columns, in the template's order.
    let columns: [Int]
    var isOpen = false
    /// The open group's key column values back to back; value i ends at `ends[i]`.
    private var current: [UInt8] = []
    private var ends: [Int]
    /// The value being built: the head and the list's items so far.
    var value: [UInt8] = []
    private var items = 0

    init(columns: [Int]) {
        self.columns = columns
        ends = [Int](repeating: 0, count: columns.count)
    }

    /// Whether `row`'s key columns differ from the open group's (or no group is open).
    func isNew(_ row: CopyRow) -> Bool {
        guard isOpen else { return true }
        var start = 0
        for index in columns.indices {
            let field = row.raw(columns[index])
            let end = ends[index]
            guard field.count == end - start else { return true }
            for offset in 0..<field.count where current[start + offset] != field[offset] { return true }
            start = end
        }
        return false
    }

    /// Opens a group for `row`'s key columns, with an empty value.
    mutating func open(_ row: CopyRow) {
        current.removeAll(keepingCapacity: true)
        for index in columns.indices {
            current.append(contentsOf: row.raw(columns[index]))
            ends[index] = current.count
        }
        value.removeAll(keepingCapacity: true)
        items = 0
        isOpen = true
    }

    /// Opens the one group of a whole layout: no key columns, a head without columns.
    mutating func openWhole(_ head: WarmProgram) {
        value.removeAll(keepingCapacity: true)
        head.writeLiteral(to: &value)
        items = 0
        isOpen = true
    }

    /// Starts the next list item (writes the separator).
    mutating func beginItem() {
        if items > 0 { value.append(UInt8(ascii: ",")) }
        items += 1
    }

    /// Stored key column `slot`, with its COPY escapes decoded when `decode`.
    func appendColumn(_ slot: Int, decode: Bool, to out: inout [UInt8]) {
        let bytes = current[(slot == 0 ? 0 : ends[slot - 1])..<ends[slot]]
        guard decode, bytes.contains(UInt8(ascii: "\\")) else {
            out.append(contentsOf: bytes)
            return
        }
        bytes.withUnsafeBufferPointer { field in CopyRows.unescape(field) { out.append($0) } }
    }
}

/// A row of a tree layout: its object's fields (no braces, no children) and where it hangs.
struct WarmTreeNode {
    let id: Int64
    let parent: Int64?
    let fields: [UInt8]

    /// The roots, each with its children nested (`children` is `,"children":`), depth
    /// first. Nodes caught in a parent cycle hang from no root and are left out, as any
    /// walk of the tree from its roots leaves them out.
    static func write(_ nodes: [WarmTreeNode], children: [UInt8], maxDepth: Int, family: String) throws -> [UInt8] {
        var childrenOf: [Int64: [Int]] = [:]
        var roots: [Int] = []
        for (index, node) in nodes.enumerated() {
            if let parent = node.parent { childrenOf[parent, default: []].append(index) } else { roots.append(index) }
        }
        var value: [UInt8] = []
        func write(_ indices: [Int], depth: Int) throws {
            guard depth < maxDepth else { throw WWError.dataError("warm \(family): rows nest deeper than \(maxDepth) levels") }
            value.append(UInt8(ascii: "["))
            for (position, index) in indices.enumerated() {
                if position > 0 { value.append(UInt8(ascii: ",")) }
                value.append(UInt8(ascii: "{"))
                value.append(contentsOf: nodes[index].fields)
                value.append(contentsOf: children)
                try write(childrenOf[nodes[index].id] ?? [], depth: depth + 1)
                value.append(UInt8(ascii: "}"))
            }
            value.append(UInt8(ascii: "]"))
        }
        try write(roots, depth: 0)
        return value
    }
}
