import Glibc

/// The replies of one `RedisConnection.pipeline(_:into:)`, kept as the bytes the server
/// sent plus a flat index of them, instead of one `RedisReply` tree (and one array per
/// bulk string) per reply. A SCAN reply of 1,000 keys costs no allocation here once the
/// buffer has grown to its working size.
///
/// Replies and their elements are addressed by `Element`; an element, and the bytes lent
/// by `withBytes`, are valid until the buffer is filled again. One owner at a time: reuse
/// one buffer per connection across batches.
public final class RedisReplyBuffer {
    public enum Kind: UInt8, Sendable {
        case status, error, integer, bulk, null, array
    }

    /// A reply, or an element of an array reply.
    public struct Element: Hashable, Sendable {
        fileprivate let node: Int
    }

    /// One parsed value: for strings the payload's offset and length in `bytes`, for
    /// integers the value, for arrays the element count (elements follow in pre-order).
    private struct Node {
        var kind: Kind
        var offset: Int
        var value: Int
    }

    /// What the server sent.
    private var bytes: Growable<UInt8>
    private var nodes: Growable<Node>
    /// The node of each complete top-level reply.
    private var roots: Growable<Int>
    /// Where the next unparsed element starts.
    private var position = 0
    /// Elements still to come of each array being parsed, outermost first.
    private var open: Growable<Int>
    /// The node where the reply being parsed starts.
    private var rootStart = 0

    /// Deeper nesting than any command's reply is refused as a protocol error.
    static let maxDepth = 32
    private static let readChunk = 64 * 1024

    public init() {
        bytes = Growable(capacity: Self.readChunk)
        nodes = Growable(capacity: 1024)
        roots = Growable(capacity: 1024)
        open = Growable(capacity: Self.maxDepth + 1)
    }

    deinit {
        bytes.free()
        nodes.free()
        roots.free()
        open.free()
    }

    /// Complete replies received.
    public var count: Int { roots.count }

    /// The `index`-th reply, in the order the commands were sent.
    public func reply(_ index: Int) -> Element {
        precondition(index >= 0 && index < roots.count, "reply index out of range")
        return Element(node: roots.base[index])
    }

    public func kind(of element: Element) -> Kind { node(element).kind }

    /// The value of an integer reply; nil for any other kind.
    public func integer(_ element: Element) -> Int64? {
        let node = node(element)
        return node.kind == .integer ? Int64(node.value) : nil
    }

    /// Lends the bytes of a bulk string, status line or error reply; nil for other kinds.
    public func withBytes<Result>(of element: Element, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result? {
        let node = node(element)
        switch node.kind {
        case .bulk, .status, .error:
            return try body(payload(node))
        case .integer, .null, .array:
            return nil
        }
    }

    /// The bytes of a bulk string, status line or error reply.
    public func bytes(of element: Element) -> [UInt8]? {
        withBytes(of: element) { Array($0) }
    }

    /// The text of a status line or error reply, or of a bulk string that is valid UTF-8.
    public func string(of element: Element) -> String? {
        withBytes(of: element) { String(validating: $0, as: UTF8.self) } ?? nil
    }

    /// The message of an error reply.
    public func errorMessage(_ element: Element) -> String? {
        kind(of: element) == .error ? withBytes(of: element) { String(decoding: $0, as: UTF8.self) } : nil
    }

    /// The number of elements of an array reply; nil for any other kind.
    public func elementCount(of element: Element) -> Int? {
        let node = node(element)
        return node.kind == .array ? node.value : nil
    }

    /// The elements of an array reply, in order (none for any other kind).
    public func elements(of element: Element) -> Elements {
        let node = node(element)
        return Elements(buffer: self, first: element.node + 1, count: node.kind == .array ? node.value : 0)
    }

    public struct Elements: Sequence {
        fileprivate let buffer: RedisReplyBuffer
        fileprivate let first: Int
        public let count: Int

        public func makeIterator() -> Iterator {
            Iterator(buffer: buffer, upcoming: first, remaining: count)
        }

        public struct Iterator: IteratorProtocol {
            fileprivate let buffer: RedisReplyBuffer
            fileprivate var upcoming: Int
            fileprivate var remaining: Int

            public mutating func next() -> Element? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let element = Element(node: upcoming)
                upcoming = buffer.end(of: upcoming)
                return element
            }
        }
    }

    /// The reply as a `RedisReply` tree, as `RedisConnection.pipeline` would have returned it.
    public func value(of element: Element) -> RedisReply {
        value(at: element.node).reply
    }

    private func value(at index: Int) -> (reply: RedisReply, end: Int) {
        let node = nodes.base[index]
        switch node.kind {
        case .status: return (.status(String(decoding: payload(node), as: UTF8.self)), index + 1)
        case .error: return (.error(String(decoding: payload(node), as: UTF8.self)), index + 1)
        case .integer: return (.integer(Int64(node.value)), index + 1)
        case .bulk: return (.bulk(Array(payload(node))), index + 1)
        case .null: return (.null, index + 1)
        case .array:
            var elements: [RedisReply] = []
            elements.reserveCapacity(node.value)
            var next = index + 1
            for _ in 0..<node.value {
                let (element, end) = value(at: next)
                elements.append(element)
                next = end
            }
            return (.array(elements), next)
        }
    }

    private func node(_ element: Element) -> Node {
        precondition(element.node >= 0 && element.node < nodes.count, "reply element out of range")
        return nodes.base[element.node]
    }

    private func payload(_ node: Node) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: UnsafeRawPointer(bytes.base) + node.offset, count: node.value)
    }

    /// The node after the subtree at `index`.
    private func end(of index: Int) -> Int {
        let nodes = nodes.base
        var next = index + 1
        var pending = nodes[index].kind == .array ? nodes[index].value : 0
        while pending > 0 {
            pending -= 1
            if nodes[next].kind == .array { pending += nodes[next].value }
            next += 1
        }
        return next
    }

    // MARK: receiving

    /// Forgets the previous replies, keeping the memory.
    func reset() {
        bytes.count = 0
        nodes.count = 0
        roots.count = 0
        open.count = 0
        position = 0
        rootStart = 0
    }

    /// Whether bytes arrived that no reply has used yet.
    var hasUnparsedBytes: Bool { position < bytes.count }

    /// Room for at least one read chunk at the end of what was received.
    func reserveForRead() -> UnsafeMutableRawBufferPointer {
        bytes.reserve(Self.readChunk)
        return UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bytes.base + bytes.count), count: bytes.capacity - bytes.count)
    }

    /// Records `count` bytes read into the space `reserveForRead` lent.
    func didRead(_ count: Int) {
        bytes.count += count
    }

    /// Takes `data` as if read from the socket (for tests of the parser).
    func receive(_ data: [UInt8]) {
        bytes.reserve(data.count)
        UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bytes.base + bytes.count), count: data.count).copyBytes(from: data)
        bytes.count += data.count
    }

    /// Parses what has arrived until `wanted` replies are complete; false when more bytes
    /// are needed. Elements are taken whole: an incomplete one is parsed again once more
    /// bytes have arrived, so a long reply is parsed once however it was split.
    func parse(until wanted: Int) throws(RESPViolation) -> Bool {
        let base = UnsafeRawPointer(bytes.base)
        let filled = bytes.count
        // Worked on as locals (the class's properties would be checked for exclusive
        // access at every use) and stored back on every way out.
        var position = self.position
        var rootStart = self.rootStart
        var nodes = self.nodes
        var roots = self.roots
        var open = self.open
        defer {
            self.position = position
            self.rootStart = rootStart
            self.nodes = nodes
            self.roots = roots
            self.open = open
        }
        while roots.count < wanted {
            if open.count == 0 { rootStart = nodes.count }
            guard position < filled else { return false }
            let marker = base.load(fromByteOffset: position, as: UInt8.self)
            guard let lineEnd = Self.findCRLF(base, from: position + 1, filled: filled) else { return false }
            let line = (position + 1)..<lineEnd
            var next = lineEnd + 2
            var node: Node
            var children = 0
            switch marker {
            case UInt8(ascii: ":"):
                guard let value = Self.decimal(base, line) else { throw RESPViolation("bad integer value") }
                node = Node(kind: .integer, offset: 0, value: value)
            case UInt8(ascii: "$"):
                guard let length = Self.decimal(base, line), length >= -1 else { throw RESPViolation("bad bulk string length") }
                if length == -1 {
                    node = Node(kind: .null, offset: 0, value: 0)
                    break
                }
                guard length <= Int.max - 2 - next else { throw RESPViolation("bad bulk string length") }
                let end = next + length
                guard end + 2 <= filled else { return false }
                guard base.load(fromByteOffset: end, as: UInt8.self) == 13,
                      base.load(fromByteOffset: end + 1, as: UInt8.self) == 10
                else { throw RESPViolation("bulk string not followed by CRLF") }
                node = Node(kind: .bulk, offset: next, value: length)
                next = end + 2
            case UInt8(ascii: "+"):
                node = Node(kind: .status, offset: line.lowerBound, value: line.count)
            case UInt8(ascii: "-"):
                node = Node(kind: .error, offset: line.lowerBound, value: line.count)
            case UInt8(ascii: "*"):
                guard let elements = Self.decimal(base, line), elements >= -1 else { throw RESPViolation("bad multi-bulk length") }
                if elements == -1 {
                    node = Node(kind: .null, offset: 0, value: 0)
                    break
                }
                guard elements == 0 || open.count < Self.maxDepth else { throw RESPViolation("reply nested too deeply") }
                node = Node(kind: .array, offset: 0, value: elements)
                children = elements
            default:
                throw RESPViolation("got '\(Self.printable(marker))' as reply type byte")
            }
            nodes.append(node)
            position = next
            let stack = open.base
            if open.count > 0 { stack[open.count - 1] -= 1 }
            if children > 0 { open.append(children) }
            while open.count > 0 && stack[open.count - 1] == 0 { open.count -= 1 }
            if open.count == 0 { roots.append(rootStart) }
        }
        return true
    }

    /// The offset of the `\r` of the next CRLF at or after `start`, or nil when it has not
    /// arrived yet.
    private static func findCRLF(_ base: UnsafeRawPointer, from start: Int, filled: Int) -> Int? {
        var from = start
        while from < filled {
            guard let found = memchr(base + from, 13, filled - from) else { return nil }
            let offset = base.distance(to: UnsafeRawPointer(found))
            if offset + 1 >= filled { return nil }
            if base.load(fromByteOffset: offset + 1, as: UInt8.self) == 10 { return offset }
            from = offset + 1
        }
        return nil
    }

    /// A signed decimal, as RESP writes lengths and integers.
    private static func decimal(_ base: UnsafeRawPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var index = range.lowerBound
        let negative = base.load(fromByteOffset: index, as: UInt8.self) == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < range.upperBound, range.upperBound - index <= 19 else { return nil }
        var magnitude: UInt64 = 0
        while index < range.upperBound {
            let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 48
            guard digit < 10 else { return nil }
            magnitude = magnitude * 10 + UInt64(digit)
            index += 1
        }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { return nil }
        return Int(magnitude)
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}

/// Bytes from the server that are not RESP2.
struct RESPViolation: Error {
    let detail: String
    init(_ detail: String) { self.detail = detail }
}

/// A manually managed array of trivial values: appends without uniqueness checks, for
/// the one owner `RedisReplyBuffer`. `free()` releases it.
private struct Growable<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func free() { base.deallocate() }

    /// Room for `extra` more elements.
    mutating func reserve(_ extra: Int) {
        guard capacity - count < extra else { return }
        var grown = capacity * 2
        while grown - count < extra { grown *= 2 }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: grown)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }

    mutating func append(_ element: Element) {
        if count == capacity { reserve(1) }
        (base + count).initialize(to: element)
        count += 1
    }
}
