import Keyspace
import Redis
import Support

/// Keys, TTLs and memory of one key family, or of one group of keys of no family.
public struct KeyGroupStats: Sendable {
    /// The family name, or for keys of no family their group (`tmp:*`).
    public let name: String
    /// The family; nil for a group of keys of no family.
    public let family: KeyFamily?
    /// Keys met by the walk.
    public internal(set) var keys = 0
    /// Of those, keys with a TTL.
    public internal(set) var withTTL = 0
    /// Of those, keys in a legacy form of the family (`user:{userId}:orgs`).
    public internal(set) var legacyKeys = 0
    /// Keys whose TTL is above what the family's policy allows for them.
    public internal(set) var aboveTTLPolicy = 0
    public internal(set) var ttlMinMs: Int64?
    public internal(set) var ttlMaxMs: Int64?
    /// MEMORY USAGE calls made for this group, and the bytes they reported.
    public internal(set) var memorySampleSize = 0
    public internal(set) var memorySampleBytes = 0
    /// Walk keys × this = keys in the database (1 for a whole walk).
    public internal(set) var scale = 1.0
    var ttls: Reservoir

    init(name: String, family: KeyFamily?, reservoir: Int) {
        self.name = name
        self.family = family
        self.ttls = Reservoir(capacity: reservoir)
    }

    /// Median TTL over a uniform sample of at most 1,000 of the keys with a TTL.
    public var ttlMedianMs: Int64? { ttls.median }

    /// How many TTLs the median was taken from.
    public var ttlSampleSize: Int { ttls.values.count }

    /// Keys in the database: `keys` for a whole walk, extrapolated for a sampled one.
    public var estimatedKeys: Int { Int((Double(keys) * scale).rounded()) }

    /// Estimated bytes of all the group's keys in the database: the mean of the MEMORY
    /// USAGE sample times `estimatedKeys`; exact when every key was sampled in a whole walk.
    public var memoryBytes: Int {
        guard memorySampleSize > 0 else { return 0 }
        if memorySampleSize == keys && scale == 1 { return memorySampleBytes }
        return Int((Double(memorySampleBytes) / Double(memorySampleSize) * Double(estimatedKeys)).rounded())
    }

    /// The most TTL the family's policy allows any of its keys (nil: unbounded or no family).
    public var ttlPolicyMaxSeconds: Int? { family?.ttl.maxSeconds }

    mutating func count(ttlMs: Int64, limitMs: Int64?, memoryBytes: Int?) {
        keys += 1
        if let memoryBytes {
            memorySampleSize += 1
            memorySampleBytes += memoryBytes
        }
        guard ttlMs >= 0 else { return }
        withTTL += 1
        ttlMinMs = min(ttlMinMs ?? ttlMs, ttlMs)
        ttlMaxMs = max(ttlMaxMs ?? ttlMs, ttlMs)
        ttls.add(ttlMs)
        if let limitMs, ttlMs > limitMs { aboveTTLPolicy += 1 }
    }
}

/// `wwctl metrics --by-family`: a walk of the keyspace tallied per family.
public struct FamilyMetrics: Sendable {
    /// Every family of the registry, in its order (families without keys included).
    public internal(set) var families: [KeyGroupStats]
    /// Keys of no family (unknown, forbidden financial data), grouped by their first
    /// segments, most keys first.
    public internal(set) var otherGroups: [KeyGroupStats]
    public internal(set) var walk: WalkSummary
    /// DBSIZE before the walk.
    public internal(set) var databaseKeys: Int
    /// The database index walked.
    public internal(set) var database: Int
    /// The `--sample` limit, when the walk was limited.
    public internal(set) var sampleLimit: Int?
    /// MEMORY USAGE calls allowed per family or group.
    public internal(set) var memorySamplePerGroup: Int

    /// How many distinct groups of keys of no family are kept; later ones are counted
    /// under `KeyGroupLabel.overflow`.
    public static let maxOtherGroups = FamilyClassifier.maxOtherGroups

    /// Walks the database of `connection`. `sample` stops the walk after that many keys
    /// and extrapolates to DBSIZE; `memorySample` bounds MEMORY USAGE calls per family
    /// (the first keys the walk meets, in SCAN's hash order). `progress` is called every
    /// 10,000 keys and at the end with the keys walked so far.
    public static func collect(
        connection: RedisConnection, keyspace: BoundKeyspace,
        sample: Int? = nil, memorySample: Int = 1000, ttlReservoir: Int = 1000,
        progress: (Int) -> Void = { _ in }
    ) throws -> FamilyMetrics {
        let databaseKeys = Int(try connection.command(["DBSIZE"]).int ?? 0)
        let registry = keyspace.registry
        var families = registry.families.map { KeyGroupStats(name: $0.name, family: $0, reservoir: ttlReservoir) }
        var othersBySlot: [KeyGroupStats?] = []
        let classifier = FamilyClassifier(keyspace, memorySample: memorySample)
        let walker = KeyspaceWalker(connection: connection, limit: sample)
        var walked = 0
        let summary = try walker.walk(classify: { classifier.classify($0) }) { walkedKey, tag in
            walked += 1
            if walked % 10_000 == 0 { progress(walked) }
            if tag.isGroup {
                while othersBySlot.count <= tag.slot { othersBySlot.append(nil) }
                if othersBySlot[tag.slot] == nil {
                    othersBySlot[tag.slot] = KeyGroupStats(name: classifier.label(ofSlot: tag.slot), family: nil, reservoir: ttlReservoir)
                }
                othersBySlot[tag.slot]!
                    .count(ttlMs: walkedKey.pttlMs, limitMs: nil, memoryBytes: walkedKey.memoryBytes)
            } else {
                if tag.legacy { families[tag.slot].legacyKeys += 1 }
                families[tag.slot].count(ttlMs: walkedKey.pttlMs, limitMs: tag.limitMs, memoryBytes: walkedKey.memoryBytes)
            }
        }
        progress(walked)
        var others = othersBySlot.compactMap { $0 }

        // A sample stands for the database; an interrupted walk stands only for itself.
        let sampled = sample != nil && !summary.complete && !summary.interrupted
        let scale = sampled && summary.keys > 0 && databaseKeys > summary.keys
            ? Double(databaseKeys) / Double(summary.keys) : 1
        for i in families.indices { families[i].scale = scale }
        for i in others.indices { others[i].scale = scale }
        others.sort { $0.keys != $1.keys ? $0.keys > $1.keys : $0.name < $1.name }
        return FamilyMetrics(
            families: families, otherGroups: others, walk: summary, databaseKeys: databaseKeys,
            database: connection.url.database, sampleLimit: sample, memorySamplePerGroup: memorySample)
    }
}

/// Where a key of the walk is tallied.
struct FamilyTag {
    /// The family's index in the registry, or the group's slot for keys of no family.
    var slot: Int
    /// True for keys of no family (`slot` is a group's).
    var isGroup: Bool
    var legacy = false
    /// The most TTL the family's policy allows this key, in milliseconds.
    var limitMs: Int64?
}

/// Decides each key's tally slot and whether it is one of the MEMORY USAGE sample.
final class FamilyClassifier {
    static let maxOtherGroups = 200

    private let keys: KeyClassifier
    private let prefix: KeyPrefix
    private let memorySample: Int
    private var groupIndex: [String: Int] = [:]
    private var groupLabels: [String] = []
    private var labels: GroupLabelCache
    private var familyMemory: [Int]
    private var groupMemory: [Int] = []

    init(_ keyspace: BoundKeyspace, memorySample: Int) {
        self.keys = keyspace.classifier()
        self.labels = GroupLabelCache(prefix: keyspace.prefix)
        self.prefix = keyspace.prefix
        self.memorySample = memorySample
        familyMemory = Array(repeating: 0, count: keyspace.registry.families.count)
    }

    func classify(_ key: UnsafeRawBufferPointer) -> (tag: FamilyTag, memory: Bool) {
        let found = keys.classify(key)
        if let index = found.familyIndex {
            let tag = FamilyTag(
                slot: index, isGroup: false, legacy: found.isLegacy,
                limitMs: found.ttlLimitSeconds.map { Int64($0) * 1000 })
            return (tag, take(&familyMemory[index]))
        }
        if let slot = labels.slot(for: key) {
            return (FamilyTag(slot: slot, isGroup: true), take(&groupMemory[slot]))
        }
        var label = KeyGroupLabel.label(for: Array(key), prefix: prefix)
        if groupIndex[label] == nil && groupIndex.count >= Self.maxOtherGroups { label = KeyGroupLabel.overflow }
        let slot: Int
        if let known = groupIndex[label] {
            slot = known
        } else {
            slot = groupMemory.count
            groupIndex[label] = slot
            groupLabels.append(label)
            groupMemory.append(0)
        }
        labels.remember(slot)
        return (FamilyTag(slot: slot, isGroup: true), take(&groupMemory[slot]))
    }

    /// The label of a group's slot.
    func label(ofSlot slot: Int) -> String { groupLabels[slot] }

    private func take(_ used: inout Int) -> Bool {
        guard used < memorySample else { return false }
        used += 1
        return true
    }
}
