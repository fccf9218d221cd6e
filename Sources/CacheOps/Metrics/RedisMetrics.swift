import Redis
import Support

/// The server-wide figures of one `INFO` reply, as `wwctl metrics` reports them.
///
/// One plain `INFO` (the default sections) carries everything here: server, clients,
/// memory, stats, replication and keyspace. Naming sections would save a few kilobytes
/// but needs Redis 7's multi-section form; `INFO everything` adds command statistics
/// nobody reads here.
public struct RedisMetrics: Sendable, Equatable {
    /// One database of INFO's keyspace section.
    public struct Database: Sendable, Equatable {
        public var index: Int
        public var keys: Int
        /// Keys with a TTL.
        public var expires: Int
        /// Milliseconds; the server's sampled estimate (0 until it has sampled).
        public var avgTTLMs: Int

        public init(index: Int, keys: Int, expires: Int, avgTTLMs: Int) {
            self.index = index
            self.keys = keys
            self.expires = expires
            self.avgTTLMs = avgTTLMs
        }
    }

    public var keyspaceHits: Int
    public var keyspaceMisses: Int
    /// Bytes.
    public var usedMemory: Int
    public var usedMemoryHuman: String?
    /// Bytes.
    public var usedMemoryPeak: Int
    /// Bytes; 0 when the server has no limit.
    public var maxmemory: Int
    public var maxmemoryPolicy: String?
    public var memFragmentationRatio: Double?
    public var evictedKeys: Int
    public var expiredKeys: Int
    public var connectedClients: Int
    /// The server's own estimate over its last few seconds (`instantaneous_ops_per_sec`).
    public var opsPerSec: Int
    public var totalCommandsProcessed: Int
    public var version: String?
    public var uptimeSeconds: Int?
    /// `master` or `slave`, as the server says.
    public var role: String?
    /// Databases holding keys, by index.
    public var databases: [Database]

    public init(
        keyspaceHits: Int, keyspaceMisses: Int, usedMemory: Int, usedMemoryHuman: String? = nil,
        usedMemoryPeak: Int, maxmemory: Int, maxmemoryPolicy: String? = nil, memFragmentationRatio: Double? = nil,
        evictedKeys: Int, expiredKeys: Int, connectedClients: Int, opsPerSec: Int, totalCommandsProcessed: Int,
        version: String? = nil, uptimeSeconds: Int? = nil, role: String? = nil, databases: [Database] = []
    ) {
        self.keyspaceHits = keyspaceHits
        self.keyspaceMisses = keyspaceMisses
        self.usedMemory = usedMemory
        self.usedMemoryHuman = usedMemoryHuman
        self.usedMemoryPeak = usedMemoryPeak
        self.maxmemory = maxmemory
        self.maxmemoryPolicy = maxmemoryPolicy
        self.memFragmentationRatio = memFragmentationRatio
        self.evictedKeys = evictedKeys
        self.expiredKeys = expiredKeys
        self.connectedClients = connectedClients
        self.opsPerSec = opsPerSec
        self.totalCommandsProcessed = totalCommandsProcessed
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.role = role
        self.databases = databases
    }

    /// Reads the figures from an INFO text that includes the default sections. `address`
    /// names the server in the error when a field wwctl needs is missing.
    public init(info: RedisInfo, address: String) throws {
        func required(_ value: Int?, _ field: String) throws -> Int {
            guard let value else {
                throw RedisError(kind: .unexpectedReply, address: address, detail: "INFO has no \(field)")
            }
            return value
        }
        self.init(
            keyspaceHits: try required(info.keyspaceHits, "keyspace_hits"),
            keyspaceMisses: try required(info.keyspaceMisses, "keyspace_misses"),
            usedMemory: try required(info.usedMemory, "used_memory"),
            usedMemoryHuman: info.usedMemoryHuman,
            usedMemoryPeak: try required(info.usedMemoryPeak, "used_memory_peak"),
            maxmemory: info.maxmemory ?? 0,
            maxmemoryPolicy: info.maxmemoryPolicy,
            memFragmentationRatio: info.memFragmentationRatio,
            evictedKeys: try required(info.evictedKeys, "evicted_keys"),
            expiredKeys: try required(info.expiredKeys, "expired_keys"),
            connectedClients: try required(info.connectedClients, "connected_clients"),
            opsPerSec: info.instantaneousOpsPerSec ?? 0,
            totalCommandsProcessed: try required(info.totalCommandsProcessed, "total_commands_processed"),
            version: info.redisVersion,
            uptimeSeconds: info.uptimeSeconds,
            role: info.role,
            databases: info.keyspace
                .map { Database(index: $0.key, keys: $0.value.keys, expires: $0.value.expires, avgTTLMs: $0.value.avgTTL) }
                .sorted { $0.index < $1.index })
    }

    /// One `INFO` round trip.
    public static func read(from connection: RedisConnection) throws -> RedisMetrics {
        try RedisMetrics(info: connection.info(), address: connection.address)
    }

    /// Hits over lookups since the server started or its statistics were reset (0...1);
    /// nil when there has been no lookup, so a fresh server does not read as 0 %.
    public var hitRate: Double? {
        HitRate.ratio(hits: keyspaceHits, misses: keyspaceMisses)
    }

    /// Keys in all databases.
    public var keys: Int { databases.reduce(0) { $0 + $1.keys } }

    /// used_memory / maxmemory, or nil when the server has no limit.
    public var memoryRatio: Double? {
        maxmemory > 0 ? Double(usedMemory) / Double(maxmemory) : nil
    }
}

public enum HitRate {
    /// hits / (hits + misses), nil without lookups.
    public static func ratio(hits: Int, misses: Int) -> Double? {
        let lookups = hits + misses
        return lookups > 0 ? Double(hits) / Double(lookups) : nil
    }
}
