import Keyspace
import Postgres
import Redis
import Support

/// What `cache verify` found for one sampled key.
public struct VerifiedKey: Sendable {
    public enum Status: String, Sendable {
        /// The value is what the warm would write now.
        case matching
        /// The value differs from what the warm would write now.
        case stale
        /// The warm would write no such key now: its entity is gone from the database.
        case orphaned
    }

    /// A top-level field whose value differs (`field` nil: the values differ as a whole,
    /// not being two JSON objects).
    public struct FieldDifference: Sendable {
        public var field: String?
        public var cached: JSONValue?
        public var expected: JSONValue?
    }

    public var key: [UInt8]
    public var status: Status
    public var differences: [FieldDifference]
    public var ttlMs: Int64
    /// The TTL is above what the family's policy allows this key.
    public var ttlAbovePolicy: Bool
}

/// One family's verdict.
public struct FamilyVerification: Sendable {
    public var family: String
    public var sampled = 0
    public var matching = 0
    public var stale = 0
    public var orphaned = 0
    public var ttlAbovePolicy = 0
    /// Keys `--fix` deleted.
    public var deleted = 0
    /// The keys that are not matching or whose TTL is above the policy, in sample order.
    public var findings: [VerifiedKey] = []
}

public struct VerifyReport: Sendable {
    public var families: [FamilyVerification]
    /// Keys the sampling SCAN met (of every family).
    public var keysScanned: Int
    public var fixed: Bool

    public var stale: Int { families.reduce(0) { $0 + $1.stale } }
    public var orphaned: Int { families.reduce(0) { $0 + $1.orphaned } }
}

/// `wwctl cache verify`: samples cached keys of warmable families and compares each value
/// with what the warm would write now, computed by the warm's own declarations and
/// emitter (`CacheWarmer.produce`) narrowed to the sampled keys' entities, so there is one
/// source of truth for what a value should be.
///
/// Sampling: one SCAN walk (COUNT 1000) over the keys under the prefix, keeping the first
/// `sample` keys of each selected family in SCAN order, stopping once every family has
/// its sample. For a keyspace that does not change, the sample is the same every run.
public struct CacheVerifier {
    let postgres: PostgresConnection
    let redis: RedisConnection
    let keyspace: BoundKeyspace

    public init(postgres: PostgresConnection, redis: RedisConnection, keyspace: BoundKeyspace) {
        self.postgres = postgres
        self.redis = redis
        self.keyspace = keyspace
    }

    /// Families: every warmable family when `families` is empty. Unknown and unwarmable
    /// names are usage errors, raised before anything is read.
    public static func families(_ names: [String]) throws -> [String] {
        try WarmSelection.resolve(names: names, scope: .all).families
    }

    public func verify(families names: [String], sample: Int) throws -> VerifyReport {
        let families = try Self.families(names)
        let (samples, scanned) = try sampleKeys(families, perFamily: sample)
        let plans = try WarmSources.plans(families, scope: .all)
        let warmer = CacheWarmer(postgres: postgres, redis: redis, keyspace: keyspace)
        var results: [FamilyVerification] = []
        for name in families {
            var result = FamilyVerification(family: name)
            let keys = samples[name] ?? []
            guard !keys.isEmpty, let plan = plans[name], let family = keyspace.registry.family(named: name) else {
                results.append(result)
                continue
            }
            try Interrupt.check()
            let replies = try redis.pipeline(keys.flatMap { key -> [[any RedisArgument]] in [["GET", key], ["PTTL", key]] })
            var expected: [[UInt8]: [UInt8]] = [:]
            if Self.referenceTimed.contains(name) {
                // Each value is recomputed for the time it was computed for: only a change
                // in the data shows, not the time since.
                var byTime: [String?: [[UInt8]]] = [:]
                for (i, key) in keys.enumerated() {
                    byTime[replies[2 * i].bytes.flatMap(Self.json)?["to"]?.stringValue, default: []].append(key)
                }
                for (time, group) in byTime.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
                    expected.merge(try expectedValues(plan, keys: group, warmer: warmer, referenceTime: time)) { a, _ in a }
                }
            } else {
                expected = try expectedValues(plan, keys: keys, warmer: warmer, referenceTime: nil)
            }
            for (i, key) in keys.enumerated() {
                let cached = replies[2 * i].bytes
                let ttl = replies[2 * i + 1].int ?? -2
                guard ttl != -2 else { continue }  // gone since the sample
                result.sampled += 1
                let limit = keyspace.params(of: key, in: family).flatMap { family.ttl.seconds(for: $0) }
                let above = limit.map { ttl > Int64($0) * 1000 } ?? false
                var verified = VerifiedKey(key: key, status: .matching, differences: [], ttlMs: ttl, ttlAbovePolicy: above)
                if let want = expected[key] {
                    if let cached, let differences = Self.differences(cached: cached, expected: want) {
                        verified.status = .stale
                        verified.differences = differences
                    } else if cached == nil {
                        verified.status = .stale
                        verified.differences = [.init(field: nil, cached: nil, expected: Self.json(want))]
                    }
                } else {
                    verified.status = .orphaned
                }
                switch verified.status {
                case .matching: result.matching += 1
                case .stale: result.stale += 1
                case .orphaned: result.orphaned += 1
                }
                if above { result.ttlAbovePolicy += 1 }
                if verified.status != .matching || above { result.findings.append(verified) }
            }
            results.append(result)
        }
        return VerifyReport(families: results, keysScanned: scanned, fixed: false)
    }

    /// Deletes the stale and orphaned keys found, as invalidation does: epochs first (a
    /// warm that read before this cannot write the old value back), then the keys by name.
    public func fix(_ report: inout VerifyReport) throws {
        for index in report.families.indices {
            let doomed = report.families[index].findings.filter { $0.status != .matching }.map(\.key)
            guard !doomed.isEmpty else { continue }
            try InvalidationEpochs(redis: redis, keyspace: keyspace).bump(keys: doomed)
            report.families[index].deleted = try KeyDeleter(redis: redis).delete(doomed)
        }
        report.fixed = true
    }

    /// The first `perFamily` keys of each family SCAN meets.
    func sampleKeys(_ families: [String], perFamily: Int) throws -> ([String: [[UInt8]]], Int) {
        let indexes = Dictionary(uniqueKeysWithValues: keyspace.registry.families.enumerated().map { ($0.element.name, $0.offset) })
        let wanted = Dictionary(uniqueKeysWithValues: families.compactMap { name in indexes[name].map { ($0, name) } })
        let classifier = keyspace.classifier()
        var samples: [String: [[UInt8]]] = [:]
        var full = 0
        var scanned = 0
        var scanner = RedisScanner(runner: redis, match: keyspace.everyKeyPattern, count: 1000)
        while full < wanted.count, let batch = try scanner.nextBatch() {
            try Interrupt.check()
            for key in batch {
                scanned += 1
                let keyClass = key.withUnsafeBytes { classifier.classify($0) }
                // Canonical forms only: the warm writes no legacy form.
                guard case .family(let index) = keyClass.kind, let name = wanted[index] else { continue }
                var list = samples[name, default: []]
                guard list.count < perFamily else { continue }
                list.append(key)
                samples[name] = list
                if list.count == perFamily { full += 1 }
            }
        }
        return (samples, scanned)
    }

    /// What the warm would write now for `keys`: the declaration's query narrowed to their
    /// entities, run through the warm's emitter, keeping only these keys.
    func expectedValues(_ plan: WarmPlan, keys: [[UInt8]], warmer: CacheWarmer, referenceTime: String?) throws -> [[UInt8]: [UInt8]] {
        var interest = WarmInterest()
        interest.keys = Set(keys)
        let family = plan.family
        let pass = WarmPass(
            index: 0, familyIndex: 0, family: family.name, round: 0, base: .none, slotEpochs: nil,
            filter: try WarmEmitFilter(interest, family: family, in: keyspace))
        let entities = WarmEntityFilter.make(plan, interest, in: keyspace)
        var values: [[UInt8]: [UInt8]] = [:]
        var options = WarmOptions(families: [family.name])
        options.referenceTime = referenceTime
        _ = try warmer.produce(plan, pass: pass, entities: entities, options: options) { batch in
            var keyStart = 0, valueStart = 0
            for i in 0..<batch.count {
                let key = Array(batch.keyBytes[keyStart..<batch.keyEnds[i]])
                values[key] = Array(batch.valueBytes[valueStart..<batch.valueEnds[i]])
                keyStart = batch.keyEnds[i]
                valueStart = batch.valueEnds[i]
            }
        }
        return values
    }

    /// Families whose values are windows up to the time they were computed for, which
    /// they carry in their field `to` (`AdminPeriods`).
    static let referenceTimed: Set<String> = ["admin-stats", "admin-revenue"]

    static func json(_ bytes: [UInt8]) -> JSONValue? { try? JSONParser.parse(bytes) }

    /// Nil when the values agree (byte for byte, or as JSON with object members in any
    /// order); else the top-level fields that differ.
    static func differences(cached: [UInt8], expected: [UInt8]) -> [VerifiedKey.FieldDifference]? {
        if cached == expected { return nil }
        guard let a = json(cached), let b = json(expected) else {
            return [.init(field: nil, cached: json(cached) ?? .string(String(decoding: cached.prefix(200), as: UTF8.self)), expected: json(expected))]
        }
        if same(a, b) { return nil }
        guard case .object(let left) = a, case .object(let right) = b else {
            return [.init(field: nil, cached: a, expected: b)]
        }
        var out: [VerifiedKey.FieldDifference] = []
        let rightByName = Dictionary(right, uniquingKeysWith: { first, _ in first })
        let leftByName = Dictionary(left, uniquingKeysWith: { first, _ in first })
        for (name, value) in left where !(rightByName[name].map { same($0, value) } ?? false) {
            out.append(.init(field: name, cached: value, expected: rightByName[name]))
        }
        for (name, value) in right where leftByName[name] == nil {
            out.append(.init(field: name, cached: nil, expected: value))
        }
        return out
    }

    /// JSON equality with object members compared by name, not order.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            let byName = Dictionary(y, uniquingKeysWith: { first, _ in first })
            return x.allSatisfy { name, value in byName[name].map { same($0, value) } ?? false }
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            return a == b
        }
    }
}
