import Keyspace
import Redis
import Support

/// What `top keys` ranks by.
public enum TopKeysOrder: String, Sendable, CaseIterable {
    /// MEMORY USAGE (value, key and overhead).
    case memory
    /// Elements (bytes for a string): STRLEN, LLEN, HLEN, SCARD, ZCARD, XLEN by type.
    case length
    /// Closest to expiring first.
    case ttl
}

/// One key of a ranking, measured again after the walk: type, length and memory (exact:
/// `MEMORY USAGE … SAMPLES 0`).
public struct RankedKey: Sendable {
    public var key: [UInt8]
    public var family: KeyFamily?
    public var kind: String
    public var pttlMs: Int64
    /// What the family's policy allows this key, seconds (nil: no bound or no family).
    public var ttlLimitSeconds: Int?
    public var type: String?
    public var length: Int64?
    public var memoryBytes: Int?

    /// Its TTL is above what the family's policy allows it.
    public var aboveTTLPolicy: Bool {
        guard let ttlLimitSeconds, pttlMs >= 0 else { return false }
        return pttlMs > Int64(ttlLimitSeconds) * 1000
    }
}

/// One family's keys in a `top keys` walk (or the keys of no family, `family` nil).
public struct FamilyRanking: Sendable {
    public var family: KeyFamily?
    public var keys = 0
    /// Sum of the walk's MEMORY USAGE (SAMPLES 5) of the family's keys; nil when memory was not read.
    public var memoryBytes: Int?
    public var withoutTTL = 0
    public var aboveTTLPolicy = 0
    public var top: [RankedKey] = []
}

/// `wwctl top keys`: one walk of the keyspace (see `KeyspaceWalker`) ranking keys overall
/// and per family.
public struct TopKeysReport: Sendable {
    public var order: TopKeysOrder
    public var overall: [RankedKey]
    /// Families with keys, in registry order, then keys of no family.
    public var families: [FamilyRanking]
    /// With `--by ttl`: keys without a TTL in families that need one (at most the limit).
    public var withoutRequiredTTL: [RankedKey]
    public var walk: WalkSummary
}

public struct TopKeys {
    let connection: RedisConnection
    let keyspace: BoundKeyspace

    public init(connection: RedisConnection, keyspace: BoundKeyspace) {
        self.connection = connection
        self.keyspace = keyspace
    }

    /// Walks the database (or its first `sample` keys) and ranks the `limit` first keys
    /// overall and `perFamily` per family, of `family` only when given.
    public func rank(
        by order: TopKeysOrder, family: KeyFamily?, limit: Int, perFamily: Int, sample: Int?
    ) throws -> TopKeysReport {
        let families = keyspace.registry.families
        let classifier = keyspace.classifier()
        let otherIndex = families.count
        var overall = TopRanking<Pending>(capacity: limit)
        var perFamilyRankings = (0...otherIndex).map { _ in TopRanking<Pending>(capacity: perFamily) }
        var rankings = (0...otherIndex).map { index in FamilyRanking(family: index < otherIndex ? families[index] : nil) }
        var missingTTL = TopRanking<Pending>(capacity: limit)
        let wantedIndex = family.flatMap { wanted in families.firstIndex { $0.name == wanted.name } }
        let measuresMemory = order == .memory
        let lengths = order == .length ? LengthReader(connection: connection) : nil

        func tally(_ key: UnsafeRawBufferPointer, _ keyClass: KeyClass, pttlMs: Int64, memory: Int?, length: Int64?) {
            let index = keyClass.familyIndex ?? otherIndex
            rankings[index].keys += 1
            if let memory { rankings[index].memoryBytes = (rankings[index].memoryBytes ?? 0) + memory }
            let limitMs = keyClass.ttlLimitSeconds.map { Int64($0) * 1000 }
            if pttlMs == -1 { rankings[index].withoutTTL += 1 }
            if let limitMs, pttlMs > limitMs { rankings[index].aboveTTLPolicy += 1 }
            let make = { Pending(key: Array(key), keyClass: keyClass, pttlMs: pttlMs, memory: memory, length: length) }
            let score: Double?
            switch order {
            case .memory: score = memory.map(Double.init)
            case .length: score = length.map(Double.init)
            case .ttl:
                score = pttlMs >= 0 ? -Double(pttlMs) : nil
                if pttlMs == -1, index < otherIndex, families[index].ttl.requiresTTL {
                    missingTTL.offer(Double(-rankings[index].withoutTTL), make)
                }
            }
            guard let score else { return }
            overall.offer(score, make)
            perFamilyRankings[index].offer(score, make)
        }

        let walker = KeyspaceWalker(connection: connection, limit: sample)
        let summary = try walker.walk(
            memoryForEveryKey: measuresMemory && wantedIndex == nil,
            classify: { key -> (tag: KeyClass?, memory: Bool) in
                let keyClass = classifier.classify(key)
                if let wantedIndex, keyClass.familyIndex != wantedIndex { return (nil, false) }
                return (keyClass, measuresMemory)
            },
            onKey: { key, keyClass in
                guard let keyClass else { return }
                if let lengths {
                    try lengths.add(key.bytes, keyClass: keyClass, pttlMs: key.pttlMs) { tally($0, $1, pttlMs: $2, memory: nil, length: $3) }
                } else {
                    tally(key.bytes, keyClass, pttlMs: key.pttlMs, memory: key.memoryBytes, length: nil)
                }
            })
        try lengths?.flush { tally($0, $1, pttlMs: $2, memory: nil, length: $3) }

        let measure = { (pending: [Pending]) throws -> [RankedKey] in try self.measure(pending) }
        var familyResults: [FamilyRanking] = []
        for index in 0...otherIndex where rankings[index].keys > 0 {
            var ranking = rankings[index]
            ranking.top = try measure(perFamilyRankings[index].ranked)
            familyResults.append(ranking)
        }
        return TopKeysReport(
            order: order, overall: try measure(overall.ranked), families: familyResults,
            withoutRequiredTTL: try measure(missingTTL.ranked), walk: summary)
    }

    struct Pending {
        var key: [UInt8]
        var keyClass: KeyClass
        var pttlMs: Int64
        var memory: Int?
        var length: Int64?
    }

    /// Type, length and exact memory of the ranked keys, in two pipelines.
    private func measure(_ pending: [Pending]) throws -> [RankedKey] {
        guard !pending.isEmpty else { return [] }
        let types = try connection.pipeline(pending.map { ["TYPE", $0.key] })
        let typeNames = types.map { $0.string ?? "none" }
        var commands: [[any RedisArgument]] = []
        for (item, type) in zip(pending, typeNames) {
            commands.append(["MEMORY", "USAGE", item.key, "SAMPLES", "0"])
            commands.append(LengthReader.lengthCommand(type: type, key: item.key) ?? ["EXISTS", item.key])
        }
        let replies = try connection.pipeline(commands)
        return pending.enumerated().map { n, item in
            let parsed = keyspace.parse(item.key)
            let type = typeNames[n]
            let hasLength = LengthReader.lengthCommand(type: type, key: []) != nil
            return RankedKey(
                key: item.key, family: parsed.family, kind: parsed.kindName, pttlMs: item.pttlMs,
                ttlLimitSeconds: item.keyClass.ttlLimitSeconds, type: type == "none" ? nil : type,
                length: hasLength ? replies[2 * n + 1].int : nil,
                memoryBytes: replies[2 * n].int.map { Int($0) } ?? item.memory)
        }
    }
}

/// `--by length`: TYPE, then the length command of each type, for batches of walked keys
/// (two pipelined round trips per thousand keys on the walk's own connection).
final class LengthReader {
    let connection: RedisConnection
    private var keys: [[UInt8]] = []
    private var classes: [KeyClass] = []
    private var ttls: [Int64] = []
    static let batchSize = 1000

    init(connection: RedisConnection) {
        self.connection = connection
    }

    static func lengthCommand(type: String, key: [UInt8]) -> [any RedisArgument]? {
        switch type {
        case "string": ["STRLEN", key]
        case "list": ["LLEN", key]
        case "hash": ["HLEN", key]
        case "set": ["SCARD", key]
        case "zset": ["ZCARD", key]
        case "stream": ["XLEN", key]
        default: nil
        }
    }

    func add(
        _ key: UnsafeRawBufferPointer, keyClass: KeyClass, pttlMs: Int64,
        _ measured: (UnsafeRawBufferPointer, KeyClass, Int64, Int64?) -> Void
    ) throws {
        keys.append(Array(key))
        classes.append(keyClass)
        ttls.append(pttlMs)
        if keys.count >= Self.batchSize { try flush(measured) }
    }

    func flush(_ measured: (UnsafeRawBufferPointer, KeyClass, Int64, Int64?) -> Void) throws {
        guard !keys.isEmpty else { return }
        let types = try connection.pipeline(keys.map { ["TYPE", $0] })
        var commands: [[any RedisArgument]] = []
        var positions: [Int?] = []
        for (key, type) in zip(keys, types) {
            if let command = Self.lengthCommand(type: type.string ?? "none", key: key) {
                positions.append(commands.count)
                commands.append(command)
            } else {
                positions.append(nil)
            }
        }
        let lengths = commands.isEmpty ? [] : try connection.pipeline(commands)
        for i in keys.indices {
            let length = positions[i].flatMap { lengths[$0].int }
            keys[i].withUnsafeBytes { measured($0, classes[i], ttls[i], length) }
        }
        keys.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        ttls.removeAll(keepingCapacity: true)
    }
}
