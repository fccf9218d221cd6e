import Keyspace
import Redis
import Support

/// One finding of `cache doctor`: what was checked, the verdict, the evidence it rests
/// on, and what to do about it.
public struct DoctorFinding: Sendable {
    public var check: String
    public var status: HealthStatus
    public var message: String
    public var evidence: [String]
    public var recommendation: String?
}

public struct DoctorReport: Sendable {
    public var findings: [DoctorFinding]
    public var keysWalked: Int
    public var status: HealthStatus { HealthStatus.worst(findings.map(\.status)) }
}

/// What `cache doctor` looks at, all thresholds in one place.
public struct DoctorLimits: Sendable {
    public var maxFragmentation = 1.5
    /// The lowest hit-rate target of any tier (dashboard data, 70 %): Redis counts hits
    /// per server, not per family, so the server's rate is held to it.
    public var minHitRate = 0.70
    public var maxValueBytes = KeyspaceLint.defaultMaxValueBytes
    /// Seconds between the two INFO reads that measure evictions.
    public var window = 1.0
    /// Keys walked for the per-family checks (nil: all).
    public var sample: Int? = 100_000
    /// A slow-log entry of a walk (SCAN, KEYS) slower than this is reported, microseconds.
    public var slowWalkMicros: Int64 = 10_000

    public init() {}
}

/// `wwctl cache doctor`: memory settings, eviction policy against the families' TTLs,
/// fragmentation, evictions, hit rate, and a walk for TTLs, sizes and big keys.
public struct CacheDoctor {
    let connection: RedisConnection
    let keyspace: BoundKeyspace

    public init(connection: RedisConnection, keyspace: BoundKeyspace) {
        self.connection = connection
        self.keyspace = keyspace
    }

    public func examine(_ limits: DoctorLimits) throws -> DoctorReport {
        var findings: [DoctorFinding] = []
        let before = try connection.info()
        let config = try? connection.command("CONFIG", "GET", "maxmemory*").array
        var settings: [String: String] = [:]
        if let config {
            for pair in stride(from: 0, to: config.count - 1, by: 2) {
                if let name = config[pair].string, let value = config[pair + 1].string { settings[name] = value }
            }
        }
        let maxmemory = Int(settings["maxmemory"] ?? before["maxmemory"] ?? "") ?? 0
        let policy = settings["maxmemory-policy"] ?? before["maxmemory_policy"] ?? "unknown"
        let used = before.usedMemory ?? 0

        // Keys, TTLs and sizes, from one walk.
        let walk = try TopKeys(connection: connection, keyspace: keyspace)
            .rank(by: .memory, family: nil, limit: 5, perFamily: 1, sample: limits.sample)
        let keysWithoutTTL = walk.families.reduce(0) { $0 + $1.withoutTTL }

        // maxmemory and the policy.
        if maxmemory == 0 {
            findings.append(DoctorFinding(
                check: "maxmemory", status: .warning, message: "no maxmemory is set: Redis grows until the machine runs out",
                evidence: ["maxmemory 0", "used_memory \(humanBytes(used))"],
                recommendation: "set maxmemory (CONFIG SET maxmemory …, and in redis.conf) with room for the cache's peak"))
        } else {
            let ratio = Double(used) / Double(maxmemory)
            let full = policy == "noeviction" && ratio > 0.9
            findings.append(DoctorFinding(
                check: "maxmemory", status: full ? .critical : .ok,
                message: full ? "memory is \(Int(ratio * 100)) % of maxmemory under noeviction: writes will fail"
                    : "maxmemory \(humanBytes(maxmemory)), \(Int(ratio * 100)) % used",
                evidence: ["used_memory \(humanBytes(used))", "maxmemory \(humanBytes(maxmemory))", "maxmemory-policy \(policy)"],
                recommendation: full ? "raise maxmemory or choose a volatile-* policy so cache keys can be evicted" : nil))
        }
        if policy.hasPrefix("allkeys-") && keysWithoutTTL > 0 {
            findings.append(DoctorFinding(
                check: "eviction-policy", status: .warning,
                message: "\(policy) evicts any key, including the \(keysWithoutTTL) keys without a TTL (queues, sessions, data that is not a cache)",
                evidence: ["maxmemory-policy \(policy)", "\(keysWithoutTTL) keys without TTL in the walk"],
                recommendation: "use volatile-lru or volatile-lfu: every cache family has a TTL, so only cache keys are evicted"))
        } else if policy == "noeviction" && maxmemory > 0 {
            findings.append(DoctorFinding(
                check: "eviction-policy", status: .warning,
                message: "noeviction: when memory is full, writes fail instead of cache keys being evicted",
                evidence: ["maxmemory-policy noeviction"],
                recommendation: "use volatile-lru or volatile-lfu: every cache family has a TTL"))
        } else {
            findings.append(DoctorFinding(
                check: "eviction-policy", status: .ok, message: "maxmemory-policy \(policy)",
                evidence: ["\(keysWithoutTTL) keys without TTL in the walk"], recommendation: nil))
        }

        // Fragmentation, evictions, hit rate.
        if let fragmentation = before["mem_fragmentation_ratio"].flatMap(Double.init), used >= 64 << 20 {
            let high = fragmentation > limits.maxFragmentation
            findings.append(DoctorFinding(
                check: "fragmentation", status: high ? .warning : .ok,
                message: "mem_fragmentation_ratio \(fragmentation)", evidence: ["used_memory_rss \(before["used_memory_rss"] ?? "?")", "used_memory \(used)"],
                recommendation: high ? "enable activedefrag (CONFIG SET activedefrag yes) or restart the replica first, then fail over" : nil))
        }
        Pause.sleep(limits.window)
        let after = try connection.info()
        let evicted = (Int(after["evicted_keys"] ?? "") ?? 0) - (Int(before["evicted_keys"] ?? "") ?? 0)
        findings.append(DoctorFinding(
            check: "evictions", status: evicted > 0 ? .warning : .ok,
            message: evicted > 0 ? "\(evicted) keys evicted in \(limits.window) s" : "no evictions in \(limits.window) s",
            evidence: ["evicted_keys \(after["evicted_keys"] ?? "?") since start"],
            recommendation: evicted > 0 ? "raise maxmemory, or shorten TTLs of the biggest families (top keys)" : nil))
        let hits = Double(after["keyspace_hits"] ?? "") ?? 0, misses = Double(after["keyspace_misses"] ?? "") ?? 0
        if hits + misses > 0 {
            let rate = hits / (hits + misses)
            let low = rate < limits.minHitRate
            findings.append(DoctorFinding(
                check: "hit-rate", status: low ? .warning : .ok,
                message: "hit rate \(Int((rate * 1000).rounded()) / 10) % (target at least \(Int(limits.minHitRate * 100)) %)",
                evidence: ["keyspace_hits \(Int(hits))", "keyspace_misses \(Int(misses))"],
                recommendation: low ? "warm the families with the most misses (cache warm), and check TTLs against how often data changes" : nil))
        }

        // Families: TTLs against policy, values above the size limit, big keys.
        for family in walk.families {
            guard let declared = family.family else { continue }
            if family.withoutTTL > 0 && declared.ttl.requiresTTL {
                findings.append(DoctorFinding(
                    check: "ttl", status: .warning, message: "\(declared.name): \(family.withoutTTL) keys without TTL (policy \(declared.ttl))",
                    evidence: family.top.first.map { ["e.g. " + Self.shown($0.key)] } ?? [],
                    recommendation: "cache ttl KEY --set SECONDS, or invalidate the family and warm it"))
            }
            if family.aboveTTLPolicy > 0 {
                findings.append(DoctorFinding(
                    check: "ttl", status: .warning, message: "\(declared.name): \(family.aboveTTLPolicy) keys with a TTL above the policy (\(declared.ttl))",
                    evidence: [], recommendation: "top keys --by ttl --family \(declared.name); cache ttl KEY --set SECONDS"))
            }
        }
        let big = walk.overall.filter { ($0.memoryBytes ?? 0) > limits.maxValueBytes }
        findings.append(DoctorFinding(
            check: "big-keys", status: big.isEmpty ? .ok : .warning,
            message: big.isEmpty ? "no value above \(humanBytes(limits.maxValueBytes))" : "\(big.count) of the biggest keys are above \(humanBytes(limits.maxValueBytes))",
            evidence: walk.overall.prefix(3).map { "\(Self.shown($0.key)) \(humanBytes($0.memoryBytes ?? 0))" },
            recommendation: big.isEmpty ? nil : "split the value or cache less of it; top keys --by memory lists them"))

        // Slow walks in the slow log.
        if let slow = try? SlowLog(redis: connection, keyspace: keyspace).read(limit: 128).entries {
            let walks = slow.filter { ["SCAN", "KEYS"].contains($0.command) && $0.durationMicros >= limits.slowWalkMicros }
            findings.append(DoctorFinding(
                check: "slowlog", status: walks.isEmpty ? .ok : .warning,
                message: walks.isEmpty ? "no slow SCAN or KEYS in the slow log" : "\(walks.count) slow SCAN or KEYS in the slow log",
                evidence: walks.prefix(3).map { "\($0.command) \($0.durationMicros) µs from \($0.client ?? "?")" },
                recommendation: walks.isEmpty ? nil : "run walks against a replica (--read-from replica) or with a smaller SCAN COUNT; never KEYS"))
        }
        return DoctorReport(findings: findings, keysWalked: walk.walk.keys)
    }

    /// A key in evidence text: printable ASCII as is, other bytes as `\xNN`.
    static func shown(_ key: [UInt8]) -> String {
        var text = ""
        for byte in key {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                text += "\\x" + String(byte, radix: 16).leftPadded(to: 2)
            }
        }
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
