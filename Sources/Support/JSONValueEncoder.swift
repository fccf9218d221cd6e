/// Encodes `Encodable` values into a `JSONValue`, keeping fields in declaration order
/// and writing `nil` optionals as `null` (docs/CLI.md fields such as `cached` and `error`
/// are present with `null`, not absent). `ExactDecimal` encodes as a string.
public struct JSONValueEncoder {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        let encoder = NodeEncoder(node: root, codingPath: [])
        try value.encode(to: encoder)
        return root.value
    }

    /// Compact JSON text (JSON.stringify form).
    public func encodeText(_ value: some Encodable) throws -> String {
        try encode(value).compactText
    }
}

/// A mutable slot in the tree under construction.
private final class Node {
    enum Content {
        case unset
        case value(JSONValue)
        case array([Node])
        case object([(String, Node)])
    }

    var content: Content = .unset

    var value: JSONValue {
        switch content {
        case .unset: return .null
        case .value(let v): return v
        case .array(let nodes): return .array(nodes.map(\.value))
        case .object(let members): return .object(members.map { ($0.0, $0.1.value) })
        }
    }

    func child(forKey key: String) -> Node {
        if case .object(var members) = content {
            if let existing = members.first(where: { $0.0 == key }) { return existing.1 }
            let node = Node()
            members.append((key, node))
            content = .object(members)
            return node
        }
        let node = Node()
        content = .object([(key, node)])
        return node
    }

    func appendChild() -> Node {
        let node = Node()
        if case .array(var nodes) = content {
            nodes.append(node)
            content = .array(nodes)
        } else {
            content = .array([node])
        }
        return node
    }

    func ensureObject() {
        if case .object = content { return }
        content = .object([])
    }

    func ensureArray() {
        if case .array = content { return }
        content = .array([])
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.ensureObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.ensureArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// Turns primitives into JSON leaves; everything else encodes itself into `node`.
private func store(_ value: some Encodable, in node: Node, codingPath: [any CodingKey]) throws {
    switch value {
    case let v as String: node.content = .value(.string(v))
    case let v as Bool: node.content = .value(.bool(v))
    case let v as Int: node.content = .value(.number(String(v)))
    case let v as Int64: node.content = .value(.number(String(v)))
    case let v as Int32: node.content = .value(.number(String(v)))
    case let v as UInt64: node.content = .value(.number(String(v)))
    case let v as UInt: node.content = .value(.number(String(v)))
    case let v as Double: node.content = .value(v.isFinite ? .number(formatDouble(v)) : .null)
    case let v as JSONValue: node.content = .value(v)
    default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }
}

/// Ratios and latencies (never money) print like JavaScript numbers: `0.5`, `12`, `1e-7`.
func formatDouble(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return "\(v)"
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.child(forKey: key.stringValue).content = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try store(value, in: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    // Synthesized Codable calls encodeIfPresent for optionals; write null instead of skipping.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.ensureObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.ensureArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let nodes) = node.content { return nodes.count }
        return 0
    }

    mutating func encodeNil() throws { node.appendChild().content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = AnyKey(intValue: count)
        try store(value, in: node.appendChild(), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = node.appendChild()
        child.ensureObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = node.appendChild()
        child.ensureArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appendChild(), codingPath: codingPath) }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try store(value, in: node, codingPath: codingPath)
    }
}

extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        // Reached only through foreign encoders; ours stores JSONValue as a leaf.
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let items): try container.encode(items)
        case .object(let members):
            try container.encode(Dictionary(members, uniquingKeysWith: { a, _ in a }))
        }
    }
}
