/// The `capacity` items of highest score met so far, without keeping the rest: a walk
/// over millions of keys builds an item only for a key whose score enters the ranking.
public struct TopRanking<Item> {
    public let capacity: Int
    private var entries: [(score: Double, item: Item)] = []
    private var lowest = 0

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
        entries.reserveCapacity(self.capacity)
    }

    /// Whether an item of `score` would enter the ranking now.
    public func admits(_ score: Double) -> Bool {
        capacity > 0 && (entries.count < capacity || score > entries[lowest].score)
    }

    /// Adds the item made by `make` when its score enters the ranking.
    public mutating func offer(_ score: Double, _ make: () -> Item) {
        guard admits(score) else { return }
        if entries.count < capacity {
            entries.append((score, make()))
        } else {
            entries[lowest] = (score, make())
        }
        lowest = entries.indices.min { entries[$0].score < entries[$1].score } ?? 0
    }

    /// Highest score first; ties in the order they came.
    public var ranked: [Item] {
        entries.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element.item)
    }

    public var isEmpty: Bool { entries.isEmpty }
}
