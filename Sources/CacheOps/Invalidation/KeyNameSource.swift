/// Key names to delete that arrive as a stream (`cache invalidate -` reading stdin): handed
/// out in batches, so a long list never has to be held at once.
public protocol KeyNameSource {
    /// Calls `body` with the names in order, at most `size` at a time, until `body`
    /// returns false (Ctrl-C): the rest is then neither read nor handed out.
    func forEachBatch(size: Int, _ body: ([[UInt8]]) throws -> Bool) throws
}

/// Names held in memory: the keys given as arguments, or a list a test makes.
public struct KeyNames: KeyNameSource {
    public var names: [[UInt8]]

    public init(_ names: [[UInt8]]) {
        self.names = names
    }

    public func forEachBatch(size: Int, _ body: ([[UInt8]]) throws -> Bool) throws {
        var start = 0
        while start < names.count {
            let end = min(names.count, start + size)
            guard try body(Array(names[start..<end])) else { return }
            start = end
        }
    }
}
