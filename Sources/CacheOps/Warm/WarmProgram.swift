import Support

/// Writes a value from a COPY row: literal JSON (punctuation and field names, built
/// once) and columns, in order. The literals sit back to back in one array and the steps
/// hold only numbers, so writing a value copies bytes and touches no reference count.
struct WarmProgram: Sendable {
    struct Step: Sendable {
        /// The literal written before the column (`{"id":`, `,"name":`, possibly empty)
        /// ends here in `literals`; it starts where the previous step's ends.
        let literalEnd: Int
        /// The column and how to write it; nil for a last step that is only literal.
        let column: Int
        let kind: WarmValueKind?
    }

    let literals: [UInt8]
    let steps: [Step]

    /// The literal JSON of a program that reads no column.
    func writeLiteral(to out: inout [UInt8]) {
        out.append(contentsOf: literals)
    }

    @inline(__always)
    func write(_ row: CopyRow, to out: inout [UInt8]) throws {
        try literals.withUnsafeBufferPointer { literals in
            var start = 0
            for step in steps {
                if step.literalEnd > start {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: literals[start..<step.literalEnd]))
                    start = step.literalEnd
                }
                guard let kind = step.kind else { continue }
                switch kind {
                case .integer: out.jsonNumber(row, step.column)
                case .string: out.jsonString(row, step.column)
                case .decimal: out.jsonDecimalString(row, step.column)
                case .boolean: try out.jsonBool(row, step.column)
                case .timestamp: try out.jsonTimestamp(row, step.column)
                case .document: try out.jsonDocument(row, step.column)
                }
            }
        }
    }
}

/// Turns a `WarmValue` into a `WarmProgram`. A list's item becomes a program of its own
/// (`list`); after the list only literal JSON may follow (the closing brackets, `tail`).
struct WarmProgramBuilder {
    private var steps: [WarmProgram.Step] = []
    private var literals: [UInt8] = []
    /// The list met, if any.
    private(set) var list: (item: WarmValue, presentWhen: String?)?
    /// The literal after the list.
    private(set) var tail: [UInt8] = []

    mutating func add(_ value: WarmValue, _ columns: inout WarmColumns, _ failure: (String) -> WWError) throws {
        switch value {
        case .column(let sql, let kind):
            guard list == nil else { throw failure("a field after the list (the list must come last)") }
            steps.append(WarmProgram.Step(literalEnd: literals.count, column: columns.index(sql), kind: kind))
        case .object(let fields):
            literal("{")
            try addFields(fields, &columns, failure)
            literal("}")
        case .list(let item, let presentWhen):
            guard list == nil else { throw failure("a value holds more than one list") }
            literal("[")
            list = (item, presentWhen)
            literal("]")
        case .grant:
            throw failure("a grant is the value of a catalog layout, not part of a JSON value")
        }
    }

    /// The members of an object, without its braces.
    mutating func addFields(_ fields: [WarmField], _ columns: inout WarmColumns, _ failure: (String) -> WWError) throws {
        var names = Set<String>()
        for (index, field) in fields.enumerated() {
            try Self.check(name: field.name, failure)
            guard names.insert(field.name).inserted else { throw failure("field '\(field.name)' twice in one object") }
            literal(index == 0 ? "\"\(field.name)\":" : ",\"\(field.name)\":")
            try add(field.value, &columns, failure)
        }
    }

    /// Field names are written as they are: ASCII letters and digits, so none needs escaping.
    static func check(name: String, _ failure: (String) -> WWError) throws {
        let plain = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard !name.isEmpty, plain else { throw failure("'\(name)' is not a field name (ASCII letters and digits)") }
    }

    private mutating func literal(_ text: String) {
        if list == nil { literals.append(contentsOf: text.utf8) } else { tail.append(contentsOf: text.utf8) }
    }

    /// Whether the program reads no column.
    var isLiteral: Bool { steps.isEmpty }

    /// The program of the value up to its list (the whole value when it has none).
    func build() -> WarmProgram {
        var steps = self.steps
        if steps.last?.literalEnd != literals.count {
            steps.append(WarmProgram.Step(literalEnd: literals.count, column: 0, kind: nil))
        }
        return WarmProgram(literals: literals, steps: steps)
    }
}
