import Keyspace
import Redis
import Support

/// What `cache invalidate` was asked to do.
public struct InvalidationRequest {
    /// Patterns, selectors and keys, in the order given.
    public var targets: [InvalidationTarget]
    /// More keys by name, streamed (stdin); `streamedCount` of them.
    public var streamed: (any KeyNameSource)?
    public var streamedCount: Int
    /// The registry under the app's key prefix: what a match-all pattern is measured
    /// against, and where wwctl's own keys live.
    public var keyspace: BoundKeyspace
    /// `--all`: match-all patterns are meant.
    public var allowMatchAll: Bool

    public init(
        targets: [InvalidationTarget], streamed: (any KeyNameSource)? = nil, streamedCount: Int = 0,
        keyspace: BoundKeyspace, allowMatchAll: Bool = false
    ) {
        self.targets = targets
        self.streamed = streamed
        self.streamedCount = streamedCount
        self.keyspace = keyspace
        self.allowMatchAll = allowMatchAll
    }

    /// The targets found by walking the keyspace.
    public var walkTargets: [InvalidationTarget] { targets.filter { $0.scanPattern != nil } }

    /// The keys named as arguments (not counting the streamed ones).
    public var namedKeys: [[UInt8]] {
        targets.compactMap { if case .key(let name) = $0 { return name } else { return nil } }
    }

    public var keysNamed: Int { namedKeys.count + streamedCount }

    /// The guards, checked before anything is deleted: something to do, and no pattern
    /// that matches every key unless `allowMatchAll`. Both are usage errors, which `--yes`
    /// does not lift.
    public func validate() throws {
        if targets.isEmpty && streamedCount == 0 {
            throw WWError.usage("nothing to invalidate: give PATTERN…, --family F [--param NAME=VALUE]…, --all, or - to read stdin")
        }
        if !allowMatchAll, let first = targets.first(where: { $0.isMatchAll(in: keyspace) }) {
            let shown = first.scanPattern.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let prefix = keyspace.prefix
            let scope = prefix.isEmpty ? "every key" : "every key under the prefix '\(prefix)'"
            throw WWError.usage("refusing pattern '\(shown)': it has no literal prefix and matches \(scope); add --all if that is meant")
        }
    }
}

/// How far an invalidation got; passed to the progress callback after every batch.
public struct InvalidationProgress: Sendable {
    /// 1-based index of the current SCAN walk, 0 while deleting keys by name.
    public var walk: Int
    public var walks: Int
    /// Keys SCAN returned in the current walk (those the server's MATCH let through).
    public var scanned: Int
    /// The share of the keyspace the current walk has covered, 0…1 (see `SweepProgress`).
    public var walkedFraction: Double
    /// DBSIZE when the run started.
    public var databaseKeys: Int
    /// Over the whole run.
    public var matched: Int
    public var deleted: Int
    public var namesDone: Int
}

/// What an invalidation did (dry run: would do).
public struct InvalidationReport: Sendable {
    public struct Walk: Sendable, Equatable {
        public var pattern: [UInt8]
        public var scanned: Int
        public var matched: Int
        public var deleted: Int
    }

    /// Keys that matched (walks: passed the exact test; by name: existed). A key SCAN
    /// returns twice is counted twice here, never in `deleted`.
    public var matched = 0
    /// Keys the server reported deleted (0 in a dry run).
    public var deleted = 0
    public var dryRun: Bool
    /// Keys SCAN returned in every walk together: those its MATCH let through, not every
    /// key it examined (a walk examines the whole keyspace, `databaseKeys`).
    public var scanned: Int { walks.reduce(0) { $0 + $1.scanned } }
    public var walks: [Walk] = []
    /// Keys named (arguments and stdin), and of those how many existed and were deleted
    /// (dry run: exist).
    public var keysNamed = 0
    public var namedMatched = 0
    /// wwctl's own keys (`{prefix}wwctl:…`: invalidation epochs, locks) a pattern reached
    /// and that were left alone.
    public var skippedInternal = 0
    /// The families whose invalidation epochs were bumped.
    public var families: [String] = []
    /// DBSIZE when the run started.
    public var databaseKeys: Int?
    public var elapsed: Duration = .zero
    /// Ctrl-C stopped the run between batches; the counts are what was done until then.
    public var interrupted = false
    /// On a Redis Cluster, what each primary's walk did (empty on one server).
    public var nodes: [Node] = []
    /// On a Redis Cluster, keys of slots that moved during the walks, which the walks had
    /// passed and a read of those slots by name found and deleted (dry run: matched).
    public var movedDuringWalk = 0

    /// One primary's share of a cluster invalidation.
    public struct Node: Sendable, Equatable {
        /// `127.0.0.1:6381`.
        public var address: String
        /// DBSIZE of the node when the run started.
        public var databaseKeys: Int
        /// Keys its SCAN walks returned, matched and deleted (keys redirected to another
        /// node during a migration are counted here, where they were found).
        public var scanned = 0
        public var matched = 0
        public var deleted = 0
        /// Keys named, deleted (dry run: existing) on this node.
        public var namedMatched = 0
    }

    public init(dryRun: Bool) { self.dryRun = dryRun }
}

/// A cheap look before deleting: the database size and, for patterns, a sample.
public struct InvalidationEstimate: Sendable {
    public var databaseKeys: Int
    public var keysNamed: Int
    /// Random keys drawn (RANDOMKEY), and how many of them a walk target would delete.
    public var sampled: Int
    public var sampleMatches: Int
    public var hasWalks: Bool
    /// The walks' share of the database scaled to its size (nil without walks).
    public var estimatedWalkMatches: Int? {
        guard hasWalks else { return nil }
        guard sampled > 0 else { return 0 }
        return Int((Double(databaseKeys) * Double(sampleMatches) / Double(sampled)).rounded())
    }
}

/// `cache invalidate`: deletes keys by name and by SCAN walks, bumping the invalidation
/// epochs of every family it may touch before deleting (see `InvalidationEpochs`), never
/// deleting wwctl's own keys, never holding more than a batch of keys.
///
/// Walks: one per pattern or selector, each `KeySweeper` (SCAN MATCH, the exact test on
/// every key, UNLINK pipelined with the next SCAN). Three or more walk targets share one
/// walk instead: SCAN walks the whole keyspace whatever the pattern, so one walk with the
/// targets' common literal prefix, testing each key against every target, beats N walks.
/// A run stopped by a failure part-way (a server lost mid-walk, a failover): the error,
/// and what the run did before it, so the command reports the keys already deleted
/// instead of the error alone. `report.deleted` counts the server's replies received.
public struct InvalidationFailure: CategorizedError {
    public let report: InvalidationReport
    public let cause: any CategorizedError

    public var category: ErrorCategory { cause.category }
    public var message: String { cause.message }
}

/// What `cache invalidate` runs: `PatternInvalidation` on one server, `ClusterInvalidation`
/// on a Redis Cluster.
public protocol InvalidationService {
    /// A cheap look before deleting (see `InvalidationEstimate`).
    func estimate(_ request: InvalidationRequest) throws -> InvalidationEstimate
    /// Runs `request`; see `PatternInvalidation.run`.
    func run(
        _ request: InvalidationRequest, dryRun: Bool, onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void
    ) throws -> InvalidationReport
}

public struct PatternInvalidation: InvalidationService {
    public let redis: RedisConnection
    /// SCAN COUNT, fixed; nil (the default) adapts it to the pattern within
    /// `KeySweeper.adaptiveRange`, for batches of about 500 matching keys (see
    /// `KeySweeper.adaptiveCount`).
    public var scanCount: Int?
    /// Keys per UNLINK (or EXISTS in a dry run) when deleting by name: one round trip each.
    public var namesPerRoundTrip: Int
    /// From this many walk targets on, they share one walk.
    public var sharedWalkThreshold: Int

    public init(redis: RedisConnection, scanCount: Int? = nil, namesPerRoundTrip: Int = 1_000, sharedWalkThreshold: Int = 3) {
        self.redis = redis
        self.scanCount = scanCount
        self.namesPerRoundTrip = namesPerRoundTrip
        self.sharedWalkThreshold = sharedWalkThreshold
    }

    /// DBSIZE and, when there are walks, `sample` random keys tested against them.
    public func estimate(_ request: InvalidationRequest) throws -> InvalidationEstimate {
        try estimate(request, sample: 1_000)
    }

    public func estimate(_ request: InvalidationRequest, sample: Int) throws -> InvalidationEstimate {
        let size = Int(try redis.command(["DBSIZE"]).int ?? 0)
        let walks = request.walkTargets
        var estimate = InvalidationEstimate(databaseKeys: size, keysNamed: request.keysNamed, sampled: 0, sampleMatches: 0, hasWalks: !walks.isEmpty)
        guard !walks.isEmpty, size > 0 else { return estimate }
        let ownKeys = InternalKeyFilter(request.keyspace)
        try redis.pipelined((0..<Swift.max(1, sample)).lazy.map { _ in ["RANDOMKEY"] as [any RedisArgument] }) { _, reply in
            guard case .bulk(let key) = reply else { return }
            estimate.sampled += 1
            if !ownKeys.contains(key), walks.contains(where: { $0.matches(key) }) { estimate.sampleMatches += 1 }
        }
        return estimate
    }

    /// Runs `request` (which the caller has confirmed where needed; the guards are checked
    /// again here). `onProgress` is called after every batch; `onKey` with every key
    /// deleted (by a walk: matched and about to be sent to UNLINK; by name: named) or, in
    /// a dry run, every key that would be. Ctrl-C stops between batches: the report says
    /// `interrupted`, with what was deleted until then; `onKey` has seen no key that was
    /// not sent to UNLINK.
    public func run(
        _ request: InvalidationRequest, dryRun: Bool,
        onProgress: (InvalidationProgress) -> Void = { _ in },
        onKey: ([UInt8]) -> Void = { _ in }
    ) throws -> InvalidationReport {
        try request.validate()
        let clock = ContinuousClock()
        let start = clock.now
        var run = InvalidationRun(self, request: request, dryRun: dryRun)
        do {
            try run.perform(onProgress: onProgress, onKey: onKey)
        } catch let error as CategorizedError {
            guard run.report.databaseKeys != nil else { throw error }  // failed before anything ran
            var report = run.report
            report.families = run.bumped.sorted()
            report.elapsed = clock.now - start
            throw InvalidationFailure(report: report, cause: error)
        }
        var report = run.report
        report.families = run.bumped.sorted()
        report.elapsed = clock.now - start
        return report
    }

    /// The pattern of a shared walk: the targets' longest common literal prefix, then `*`.
    public static func sharedPattern(_ targets: [InvalidationTarget]) -> [UInt8] {
        let literals = targets.compactMap { $0.scanPattern }.map { Glob.literalPrefix(of: $0) }
        guard var common = literals.first else { return [UInt8(ascii: "*")] }
        for literal in literals.dropFirst() {
            let shared = zip(common, literal).prefix { $0 == $1 }.count
            common.removeSubrange(shared...)
        }
        return Glob.escape(bytes: common) + [UInt8(ascii: "*")]
    }

    /// UNLINK of `names` in one command; returns how many existed.
    func unlink(_ names: [[UInt8]], onKey: ([UInt8]) -> Void) throws -> Int {
        guard !names.isEmpty else { return 0 }
        let deleted = try KeyDeleter(redis: redis, keysPerCommand: names.count, commandsPerRoundTrip: 1).delete(names)
        names.forEach(onKey)
        return deleted
    }

    /// How many of `names` exist (one EXISTS each, in one round trip, so each existing
    /// one is known).
    func existing(_ names: [[UInt8]], onKey: ([UInt8]) -> Void) throws -> Int {
        let found = try KeyDeleter(redis: redis, keysPerCommand: names.count, commandsPerRoundTrip: 1).existing(names)
        found.forEach(onKey)
        return found.count
    }
}

extension InvalidationReport {
    /// Counts a batch of `names` keys named, of which `found` existed (dry run) or were
    /// deleted, and brings `progress` up to date with the run.
    mutating func addNamedBatch(names: Int, found: Int, progress: inout InvalidationProgress) {
        namedMatched += found
        matched += found
        if !dryRun { deleted += found }
        progress.namesDone += names
        progress.matched = matched
        progress.deleted = deleted
    }
}
