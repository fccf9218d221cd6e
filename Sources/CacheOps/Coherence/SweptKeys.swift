import Keyspace

/// The keys a walk deleted for the selector touches of one change record: appended to the
/// change log once the walks are done (`ChangeRecord.Touch.swept`), so a warm knows which
/// of the keys it wrote before the change are gone. Beyond `limit` keys of a family the
/// record says the whole family instead.
public struct SweptKeys {
    /// The record whose selectors the walks serve.
    public let position: ChangeLogPosition
    private let families: Set<String>
    private let classifier: KeyClassifier
    private let registry: KeyspaceRegistry
    private var keys: [String: [[UInt8]]] = [:]
    private var overflow: Set<String> = []
    public var limit = 100_000

    /// Nil when the selector record was not written (nothing warmable is swept).
    public init?(_ position: ChangeLogPosition?, families: [String], in keyspace: BoundKeyspace) {
        guard let position else { return nil }
        self.position = position
        self.families = Set(families)
        self.classifier = keyspace.classifier()
        self.registry = keyspace.registry
    }

    /// A key the walk is deleting.
    public mutating func add(_ key: [UInt8]) {
        // Once every family is recorded whole, no key can change the record: a large sweep
        // stops paying a classification per deleted key.
        guard overflow.count < families.count else { return }
        guard let index = key.withUnsafeBytes({ classifier.classify($0) }).familyIndex else { return }
        let family = registry.families[index].name
        guard families.contains(family), !overflow.contains(family) else { return }
        keys[family, default: []].append(key)
        if keys[family]!.count > limit {
            keys[family] = nil
            overflow.insert(family)
        }
    }

    /// The record to append after the walks.
    public var record: ChangeRecord {
        let touches = families.sorted().map { family -> ChangeRecord.FamilyTouch in
            if overflow.contains(family) { return ChangeRecord.FamilyTouch(family, .all) }
            return ChangeRecord.FamilyTouch(family, .swept(of: position.count, keys: keys[family] ?? []))
        }
        return ChangeRecord(touches)
    }
}
