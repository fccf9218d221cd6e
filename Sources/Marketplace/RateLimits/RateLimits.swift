import CacheOps
import Keyspace
import Redis
import Support

/// One counter `ratelimit:{subject}:{endpoint}`.
public struct RateLimitCounter: Sendable, Encodable, Equatable {
    public var key: String
    public var endpoint: String
    /// Requests counted in the window; nil when the value is not an integer.
    public var count: Int64?
    /// PTTL (-1: no TTL).
    public var ttlMs: Int64?
}

/// `ratelimit show`.
public struct RateLimitReport: Sendable, Encodable {
    public var subject: String
    public var subjectType: String
    /// The endpoint asked for, or nil for all of the subject's.
    public var endpoint: String?
    public var counters: [RateLimitCounter]
}

/// `ratelimit reset`.
public struct RateLimitResetReport: Sendable, Encodable {
    public var subject: String
    public var subjectType: String
    public var endpoint: String?
    /// Counters found (with `dryRun`, those that would be deleted).
    public var matched: Int
    /// Counters deleted (0 with `dryRun`).
    public var deleted: Int
    /// The endpoints of the counters found.
    public var endpoints: [String]
    public var dryRun: Bool
    public var interrupted: Bool
}

/// The app's rate-limit counters (docs/KEYSPACE.md): `ratelimit:{subject}:{endpoint}`, an
/// integer with a 60-second window. A subject's counters are found by SCAN with the
/// registry's selector, whose exact test splits subject from endpoint (`7` never reaches
/// `70`'s counters, nor `7::1`'s). The counters are live state, not a cache of anything:
/// resetting one bumps no invalidation epoch.
public struct RateLimits {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace
    public var scanCount = 1000

    public init(redis: RedisConnection, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
    }

    /// The subject's counters (the one for `endpoint` when given), by endpoint.
    public func show(subject: RateLimitSubject, endpoint: String? = nil) throws -> RateLimitReport {
        var keys: [[UInt8]] = []
        if let endpoint {
            keys = [try keyspace.key(.rateLimit, ["subject": subject.text, "endpoint": endpoint])]
        } else {
            let selector = try keyspace.selector(.rateLimit, params: ["subject": subject.text])
            var scanner = redis.scan(match: selector.pattern, count: scanCount)
            var seen = Set<[UInt8]>()
            try scanner.forEachKey { key in
                if Interrupt.isRequested { throw WWError.interrupted }
                if selector.matches(key) && seen.insert(key).inserted {
                    keys.append(key)
                }
            }
        }
        var counters: [RateLimitCounter] = []
        try redis.pipelined(keys.lazy.flatMap { [["GET", $0], ["PTTL", $0]] as [[any RedisArgument]] }) { index, reply in
            if index % 2 == 0 {
                let key = keys[index / 2]
                guard reply != .null else { return }  // expired since SCAN, or never there
                counters.append(RateLimitCounter(
                    key: String(decoding: key, as: UTF8.self), endpoint: counterEndpoint(of: key), count: reply.int, ttlMs: nil))
            } else if let last = counters.last, last.key == String(decoding: keys[index / 2], as: UTF8.self) {
                counters[counters.count - 1].ttlMs = reply.int
            }
        }
        counters.sort { $0.endpoint < $1.endpoint }
        return RateLimitReport(subject: subject.text, subjectType: subject.kind, endpoint: endpoint, counters: counters)
    }

    /// Deletes the subject's counters (only the one for `endpoint` when given), as the
    /// registry plans it for an operator's reset: by name for an endpoint, else a sweep.
    public func reset(subject: RateLimitSubject, endpoint: String? = nil, dryRun: Bool = false) throws -> RateLimitResetReport {
        let plan = try keyspace.plan(for: .rateLimit(subject: subject.text, endpoints: endpoint.map { [$0] }))
        var report = RateLimitResetReport(
            subject: subject.text, subjectType: subject.kind, endpoint: endpoint, matched: 0, deleted: 0,
            endpoints: [], dryRun: dryRun, interrupted: false)
        var found = Set<String>()
        func record(_ key: [UInt8]) {
            let endpoint = counterEndpoint(of: key)
            if found.insert(endpoint).inserted { report.endpoints.append(endpoint) }
        }
        for key in plan.keys {
            let reply = try redis.command([dryRun ? "EXISTS" : "UNLINK", key])
            guard reply.int == 1 else { continue }
            report.matched += 1
            if !dryRun { report.deleted += 1 }
            record(key)
        }
        for selector in plan.selectors {
            let sweep = try KeySweeper(redis: redis, count: scanCount).sweep(
                pattern: selector.pattern, dryRun: dryRun, accept: { selector.matches($0) },
                onMatch: { record($0) })
            report.deleted += sweep.deleted
            report.interrupted = report.interrupted || sweep.interrupted
        }
        if !plan.selectors.isEmpty { report.matched = report.endpoints.count }
        report.endpoints.sort()
        return report
    }

    /// The endpoint of a counter's key (the whole key, as text, if it is no counter's).
    private func counterEndpoint(of key: [UInt8]) -> String {
        keyspace.params(of: key, in: .rateLimit)?.last?.value ?? String(decoding: key, as: UTF8.self)
    }
}
