/// Many selectors tested at once, for one SCAN walk that serves several sweeps (an org's
/// new commission rate sweeps `commission:{p}:*` for each of hundreds of products: one
/// walk, not hundreds).
///
/// A key is in the set when some selector `matches` it, exactly as when each selector is
/// tested alone. Selectors are indexed by the literal prefix of their pattern, which every
/// key they match starts with, so a key is only tested against the few selectors whose
/// prefix it has, not against all of them.
public struct KeySelectorSet: Sendable {
    public let selectors: [KeySelector]
    /// Buckets by literal-prefix length: prefix bytes → indices into `selectors`.
    private let buckets: [(length: Int, byPrefix: [[UInt8]: [Int]])]

    public init(_ selectors: [KeySelector]) {
        self.selectors = selectors
        var byLength: [Int: [[UInt8]: [Int]]] = [:]
        for (index, selector) in selectors.enumerated() {
            let literal = Glob.literalPrefix(of: selector.pattern)
            byLength[literal.count, default: [:]][literal, default: []].append(index)
        }
        buckets = byLength.keys.sorted().map { ($0, byLength[$0] ?? [:]) }
    }

    /// Whether some selector matches `key`.
    public func matches(_ key: [UInt8]) -> Bool {
        for bucket in buckets where key.count >= bucket.length {
            guard let candidates = bucket.byPrefix[Array(key[0..<bucket.length])] else { continue }
            for index in candidates where selectors[index].matches(key) { return true }
        }
        return false
    }

    public func matches(_ key: String) -> Bool { matches(Array(key.utf8)) }

    /// A SCAN pattern every key of the set matches: the family's pattern with no parameter
    /// fixed when all selectors are of one family and prefix, else nil.
    public var commonPattern: [UInt8]? {
        guard let first = selectors.first,
              selectors.allSatisfy({ $0.family == first.family && $0.prefix == first.prefix })
        else { return nil }
        return try? KeySelector(family: first.family, params: [:], prefix: first.prefix).pattern
    }
}
