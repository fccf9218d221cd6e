/// The text of `INFO`, split into sections of `field:value` lines, with typed accessors
/// for the fields wwctl reports. A field absent from the text (its section not asked
/// for, or an older server) reads as nil.
public struct RedisInfo: Sendable, Equatable {
    /// One `dbN:keys=…,expires=…,avg_ttl=…` line of the Keyspace section.
    public struct KeyspaceEntry: Sendable, Equatable {
        public var keys: Int
        public var expires: Int
        /// Milliseconds, an estimate sampled by the server (0 until it has sampled).
        public var avgTTL: Int

        public init(keys: Int, expires: Int, avgTTL: Int) {
            self.keys = keys
            self.expires = expires
            self.avgTTL = avgTTL
        }
    }

    /// Section names in the order the server sent them, lowercased (`server`, `memory`, …).
    public let sectionNames: [String]
    /// Each section's fields, by lowercased section name.
    public let sections: [String: [String: String]]
    /// Every field of every section (field names are unique across INFO's sections).
    public let fields: [String: String]

    public init(parsing text: String) {
        // Byte-wise: INFO is ASCII, and this runs on every `metrics` and `health` start,
        // where Character-by-Character splitting was a sixth of the process's work.
        var names: [String] = []
        var sections: [String: [String: String]] = [:]
        var fields: [String: String] = [:]
        var current = ""
        var text = text
        text.withUTF8 { bytes in
            var lineStart = 0
            func handle(_ line: UnsafeBufferPointer<UInt8>.SubSequence) {
                var line = line
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                guard let first = line.first else { return }
                if first == UInt8(ascii: "#") {
                    current = String(decoding: line.dropFirst().drop { $0 == UInt8(ascii: " ") }, as: UTF8.self).lowercased()
                    if sections[current] == nil {
                        names.append(current)
                        sections[current] = [:]
                    }
                    return
                }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
                sections[current, default: [:]][name] = value
                fields[name] = value
            }
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
                handle(bytes[lineStart..<index])
                lineStart = index + 1
            }
            if lineStart < bytes.count { handle(bytes[lineStart..<bytes.count]) }
        }
        self.sectionNames = names
        self.sections = sections
        self.fields = fields
    }

    public subscript(field: String) -> String? { fields[field] }

    public func section(_ name: String) -> [String: String]? { sections[name.lowercased()] }

    // MARK: server

    public var redisVersion: String? { fields["redis_version"] }
    /// `master` or `slave`, as the server spells it.
    public var role: String? { fields["role"] }
    public var uptimeSeconds: Int? { integer("uptime_in_seconds") }

    // MARK: clients and memory

    public var connectedClients: Int? { integer("connected_clients") }
    /// Bytes.
    public var usedMemory: Int? { integer("used_memory") }
    public var usedMemoryHuman: String? { fields["used_memory_human"] }
    /// Bytes.
    public var usedMemoryPeak: Int? { integer("used_memory_peak") }
    /// Bytes; 0 means no limit.
    public var maxmemory: Int? { integer("maxmemory") }
    public var maxmemoryPolicy: String? { fields["maxmemory_policy"] }
    public var memFragmentationRatio: Double? { fields["mem_fragmentation_ratio"].flatMap { Double($0) } }

    // MARK: stats

    public var keyspaceHits: Int? { integer("keyspace_hits") }
    public var keyspaceMisses: Int? { integer("keyspace_misses") }
    public var evictedKeys: Int? { integer("evicted_keys") }
    public var expiredKeys: Int? { integer("expired_keys") }
    public var instantaneousOpsPerSec: Int? { integer("instantaneous_ops_per_sec") }
    public var totalCommandsProcessed: Int? { integer("total_commands_processed") }

    // MARK: keyspace

    /// Keys per database index, from the Keyspace section. Databases without keys are
    /// not listed by the server and so are absent here.
    public var keyspace: [Int: KeyspaceEntry] {
        var result: [Int: KeyspaceEntry] = [:]
        for (name, value) in sections["keyspace"] ?? [:] {
            guard name.hasPrefix("db"), let index = Int(name.dropFirst(2)) else { continue }
            var numbers: [Substring: Int] = [:]
            for pair in value.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, let number = Int(parts[1]) { numbers[parts[0]] = number }
            }
            guard let keys = numbers["keys"] else { continue }
            result[index] = KeyspaceEntry(keys: keys, expires: numbers["expires"] ?? 0, avgTTL: numbers["avg_ttl"] ?? 0)
        }
        return result
    }

    private func integer(_ name: String) -> Int? { fields[name].flatMap { Int($0) } }
}
