import Keyspace
import Redis
import Support

/// One key of the `top hot` ranking: its LFU counter (`OBJECT FREQ`).
public struct HotKey: Sendable {
    public var key: [UInt8]
    public var family: KeyFamily?
    public var kind: String
    /// Redis' logarithmic access counter (0–255), decayed over idle time.
    public var frequency: Int64
}

/// The keys of one family (or of no family) in a `top hot` walk.
public struct FamilyHeat: Sendable {
    public var family: KeyFamily?
    public var keys = 0
    public var frequencyTotal: Int64 = 0
    public var frequencyMax: Int64 = 0
    public var top: [HotKey] = []

    public var frequencyMean: Double { keys == 0 ? 0 : Double(frequencyTotal) / Double(keys) }
}

public struct HotKeysReport: Sendable {
    public var policy: String
    public var overall: [HotKey]
    public var families: [FamilyHeat]
    public var keysScanned: Int
    public var complete: Bool
}

/// `wwctl top hot`: the hottest keys by LFU counter, which Redis keeps only under an LFU
/// `maxmemory-policy`.
public struct HotKeys {
    let redis: any RedisCommandRunner
    let keyspace: BoundKeyspace

    public init(redis: any RedisCommandRunner, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    /// `maxmemory-policy`, nil when the server does not say (CONFIG refused).
    public func policy() -> String? {
        guard let reply = try? redis.command("CONFIG", "GET", "maxmemory-policy").array, reply.count == 2 else { return nil }
        return reply[1].string
    }

    public static func isLFU(_ policy: String) -> Bool { policy.hasSuffix("-lfu") }

    /// Walks the keys under the prefix (SCAN COUNT 1000, one pipelined OBJECT FREQ per
    /// batch), at most `sample` keys, and ranks them. OBJECT FREQ does not touch a key's
    /// counter.
    public func rank(policy: String, family: KeyFamily?, limit: Int, perFamily: Int, sample: Int?) throws -> HotKeysReport {
        let families = keyspace.registry.families
        let classifier = keyspace.classifier()
        let other = families.count
        let wanted = family.flatMap { wanted in families.firstIndex { $0.name == wanted.name } }
        var overall = TopRanking<[UInt8]>(capacity: limit)
        var perFamilyRanking = (0...other).map { _ in TopRanking<[UInt8]>(capacity: perFamily) }
        var heat = (0...other).map { FamilyHeat(family: $0 < other ? families[$0] : nil) }
        var frequencies: [[UInt8]: Int64] = [:]
        var scanner = RedisScanner(runner: redis, match: keyspace.everyKeyPattern, count: 1000)
        var scanned = 0
        var complete = true
        walk: while let batch = try scanner.nextBatch() {
            try Interrupt.check()
            var keys: [[UInt8]] = []
            var indexes: [Int] = []
            for key in batch {
                if let sample, scanned >= sample {
                    complete = false
                    break
                }
                scanned += 1
                let index = key.withUnsafeBytes { classifier.classify($0) }.familyIndex ?? other
                if let wanted, index != wanted { continue }
                keys.append(key)
                indexes.append(index)
            }
            if !keys.isEmpty {
                let replies = try redis.pipeline(keys.map { ["OBJECT", "FREQ", $0] })
                for (n, reply) in replies.enumerated() {
                    if let message = reply.errorMessage {
                        if message.hasPrefix("ERR no such key") { continue }
                        throw RedisError(kind: .server, address: redis.address, detail: message, serverMessage: message, command: "OBJECT")
                    }
                    guard let frequency = reply.int else { continue }
                    let index = indexes[n]
                    heat[index].keys += 1
                    heat[index].frequencyTotal += frequency
                    heat[index].frequencyMax = max(heat[index].frequencyMax, frequency)
                    let key = keys[n]
                    if overall.admits(Double(frequency)) || perFamilyRanking[index].admits(Double(frequency)) {
                        frequencies[key] = frequency
                    }
                    overall.offer(Double(frequency)) { key }
                    perFamilyRanking[index].offer(Double(frequency)) { key }
                }
            }
            if !complete { break walk }
        }
        func hot(_ key: [UInt8]) -> HotKey {
            let parsed = keyspace.parse(key)
            return HotKey(key: key, family: parsed.family, kind: parsed.kindName, frequency: frequencies[key] ?? 0)
        }
        var familyResults: [FamilyHeat] = []
        for index in 0...other where heat[index].keys > 0 {
            var entry = heat[index]
            entry.top = perFamilyRanking[index].ranked.map(hot)
            familyResults.append(entry)
        }
        return HotKeysReport(policy: policy, overall: overall.ranked.map(hot), families: familyResults,
                             keysScanned: scanned, complete: complete && scanner.isFinished)
    }
}
