import CacheOps
import Redis

/// `wwctl metrics`, in docs/CLI.md's field order, extras after.
struct MetricsResult: Encodable {
    struct Database: Encodable {
        var db: Int
        var keys: Int
        var expires: Int
        var avgTtlMs: Int
    }

    let metrics: RedisMetrics
    var families: FamilyMetrics?
    /// With `families`: the server walked (a replica with --read-from replica) and its lag.
    var readFrom: RedisReadSource?

    enum CodingKeys: String, CodingKey {
        case hitRate, keyspaceHits, keyspaceMisses, usedMemory, usedMemoryPeak, maxmemory, evictedKeys, expiredKeys,
             connectedClients, opsPerSec, keys
        case usedMemoryHuman, maxmemoryPolicy, memoryRatio, memFragmentationRatio, totalCommandsProcessed, version,
             uptimeSeconds, role, databases
        case families, otherKeys, walk, readFrom
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let m = metrics
        try c.encodeIfPresent(m.hitRate, forKey: .hitRate)
        try c.encode(m.keyspaceHits, forKey: .keyspaceHits)
        try c.encode(m.keyspaceMisses, forKey: .keyspaceMisses)
        try c.encode(m.usedMemory, forKey: .usedMemory)
        try c.encode(m.usedMemoryPeak, forKey: .usedMemoryPeak)
        try c.encode(m.maxmemory, forKey: .maxmemory)
        try c.encode(m.evictedKeys, forKey: .evictedKeys)
        try c.encode(m.expiredKeys, forKey: .expiredKeys)
        try c.encode(m.connectedClients, forKey: .connectedClients)
        try c.encode(m.opsPerSec, forKey: .opsPerSec)
        try c.encode(m.keys, forKey: .keys)
        try c.encodeIfPresent(m.usedMemoryHuman, forKey: .usedMemoryHuman)
        try c.encodeIfPresent(m.maxmemoryPolicy, forKey: .maxmemoryPolicy)
        try c.encodeIfPresent(m.memoryRatio, forKey: .memoryRatio)
        try c.encodeIfPresent(m.memFragmentationRatio, forKey: .memFragmentationRatio)
        try c.encode(m.totalCommandsProcessed, forKey: .totalCommandsProcessed)
        try c.encodeIfPresent(m.version, forKey: .version)
        try c.encodeIfPresent(m.uptimeSeconds, forKey: .uptimeSeconds)
        try c.encodeIfPresent(m.role, forKey: .role)
        try c.encode(
            m.databases.map { Database(db: $0.index, keys: $0.keys, expires: $0.expires, avgTtlMs: $0.avgTTLMs) },
            forKey: .databases)
        if let families {
            try c.encode(families.families.map(FamilyEntry.init), forKey: .families)
            try c.encode(families.otherGroups.map(OtherEntry.init), forKey: .otherKeys)
            try c.encode(WalkEntry(families), forKey: .walk)
            try c.encode(readFrom, forKey: .readFrom)
        }
    }
}

/// One family of `metrics --by-family`: docs/CLI.md's four fields first.
struct FamilyEntry: Encodable {
    var name: String
    var keys: Int
    var withTtl: Int
    var memoryBytes: Int
    var estimatedKeys: Int
    var legacyKeys: Int
    var aboveTtlPolicy: Int
    var ttlMinMs: Int64?
    var ttlMedianMs: Int64?
    var ttlMaxMs: Int64?
    var ttlSampleSize: Int
    var ttlPolicy: String
    var ttlPolicyMaxSeconds: Int?
    var memorySampleSize: Int
    var tier: String

    init(_ stats: KeyGroupStats) {
        name = stats.name
        keys = stats.keys
        withTtl = stats.withTTL
        memoryBytes = stats.memoryBytes
        estimatedKeys = stats.estimatedKeys
        legacyKeys = stats.legacyKeys
        aboveTtlPolicy = stats.aboveTTLPolicy
        ttlMinMs = stats.ttlMinMs
        ttlMedianMs = stats.ttlMedianMs
        ttlMaxMs = stats.ttlMaxMs
        ttlSampleSize = stats.ttlSampleSize
        ttlPolicy = stats.family.map { String(describing: $0.ttl) } ?? "none"
        ttlPolicyMaxSeconds = stats.ttlPolicyMaxSeconds
        memorySampleSize = stats.memorySampleSize
        tier = stats.family.map { $0.tier.rawValue } ?? ""
    }
}

/// A group of keys of no family.
struct OtherEntry: Encodable {
    var group: String
    var keys: Int
    var withTtl: Int
    var memoryBytes: Int
    var estimatedKeys: Int
    var ttlMinMs: Int64?
    var ttlMedianMs: Int64?
    var ttlMaxMs: Int64?
    var memorySampleSize: Int

    init(_ stats: KeyGroupStats) {
        group = stats.name
        keys = stats.keys
        withTtl = stats.withTTL
        memoryBytes = stats.memoryBytes
        estimatedKeys = stats.estimatedKeys
        ttlMinMs = stats.ttlMinMs
        ttlMedianMs = stats.ttlMedianMs
        ttlMaxMs = stats.ttlMaxMs
        memorySampleSize = stats.memorySampleSize
    }
}

/// How the walk went.
struct WalkEntry: Encodable {
    var database: Int
    var databaseKeys: Int
    var scannedKeys: Int
    var vanishedKeys: Int
    var complete: Bool
    var interrupted: Bool
    var sampleLimit: Int?
    var scanCalls: Int
    var lookupsAdded: Int
    var memoryUsageCalls: Int
    var memorySamplePerFamily: Int

    init(_ metrics: FamilyMetrics) {
        database = metrics.database
        databaseKeys = metrics.databaseKeys
        scannedKeys = metrics.walk.keys
        vanishedKeys = metrics.walk.vanished
        complete = metrics.walk.complete
        interrupted = metrics.walk.interrupted
        sampleLimit = metrics.sampleLimit
        scanCalls = metrics.walk.scanCalls
        lookupsAdded = metrics.walk.lookups
        memoryUsageCalls = metrics.walk.memoryCalls
        memorySamplePerFamily = metrics.memorySamplePerGroup
    }
}
