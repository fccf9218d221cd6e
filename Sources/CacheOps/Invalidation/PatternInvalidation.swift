import Glibc
import Keyspace
import Redis
import Support

/// Key names to delete that arrive as a stream (`cache invalidate -` reading stdin): handed
/// out in batches, so a long list never has to be held at once.
public protocol KeyNameSource {
    /// Calls `body` with the names in order, at most `size` at a time, until `body`
    /// returns false (Ctrl-C): the rest is then neither read nor handed out.
    func forEachBatch(size: Int, _ body: ([[UInt8]]) throws -> Bool) throws
}

extension Array: KeyNameSource where Element == [UInt8] {
    public func forEachBatch(size: Int, _ body: ([[UInt8]]) throws -> Bool) throws {
        var start = 0
        while start < count {
            let end = Swift.min(count, start + size)
            guard try body(Array(self[start..<end])) else { return }
            start = end
        }
    }
}

/// What `cache invalidate` was asked to do.
public struct InvalidationRequest {
    /// Patterns, selectors and keys, in the order given.
    public var targets: [InvalidationTarget]
    /// More keys by name, streamed (stdin); `streamedCount` of them.
    public var streamed: (any KeyNameSource)?
    public var streamedCount: Int
    /// The app's key prefix: what a match-all pattern is measured against, and where
    /// wwctl's own keys live.
    public var prefix: String
    /// `--all`: match-all patterns are meant.
    public var allowMatchAll: Bool

    public init(
        targets: [InvalidationTarget], streamed: (any KeyNameSource)? = nil, streamedCount: Int = 0,
        prefix: String = "", allowMatchAll: Bool = false
    ) {
        self.targets = targets
        self.streamed = streamed
        self.streamedCount = streamedCount
        self.prefix = prefix
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
        if !allowMatchAll, let first = targets.first(where: { $0.isMatchAll(prefix: prefix) }) {
            let shown = first.scanPattern.map { String(decoding: $0, as: UTF8.self) } ?? ""
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

public struct PatternInvalidation {
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
    public func estimate(_ request: InvalidationRequest, sample: Int = 1_000) throws -> InvalidationEstimate {
        let size = Int(try redis.command(["DBSIZE"]).int ?? 0)
        let walks = request.walkTargets
        var estimate = InvalidationEstimate(databaseKeys: size, keysNamed: request.keysNamed, sampled: 0, sampleMatches: 0, hasWalks: !walks.isEmpty)
        guard !walks.isEmpty, size > 0 else { return estimate }
        let ownKeys = InternalKeyFilter(prefix: request.prefix)
        // A name's family, from bytes and without building its parameters (a stdin list may
        // hold millions of names).
        let registry = KeyspaceRegistry.standard
        let classifier = registry.classifier(prefix: request.prefix)
        func family(of name: [UInt8]) -> String? {
            name.withUnsafeBytes { classifier.classify($0) }.familyIndex.map { registry.families[$0].name }
        }
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
        var report = InvalidationReport(dryRun: dryRun)
        var bumped = Set<String>()
        do {
            try perform(request, dryRun: dryRun, report: &report, bumped: &bumped, onProgress: onProgress, onKey: onKey)
        } catch let error as CategorizedError {
            guard report.databaseKeys != nil else { throw error }  // failed before anything ran
            report.families = bumped.sorted()
            report.elapsed = clock.now - start
            throw InvalidationFailure(report: report, cause: error)
        }
        report.families = bumped.sorted()
        report.elapsed = clock.now - start
        return report
    }

    private func perform(
        _ request: InvalidationRequest, dryRun: Bool, report: inout InvalidationReport, bumped: inout Set<String>,
        onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void
    ) throws {
        report.databaseKeys = Int(try redis.command(["DBSIZE"]).int ?? 0)
        let ownKeys = InternalKeyFilter(prefix: request.prefix)
        // A name's family, from bytes and without building its parameters (a stdin list may
        // hold millions of names).
        let registry = KeyspaceRegistry.standard
        let classifier = registry.classifier(prefix: request.prefix)
        func family(of name: [UInt8]) -> String? {
            name.withUnsafeBytes { classifier.classify($0) }.familyIndex.map { registry.families[$0].name }
        }

        func bump(_ families: some Sequence<String>) throws {
            let fresh = Set(families).subtracting(bumped)
            guard !dryRun, !fresh.isEmpty else { return }
            try InvalidationEpochs.bump(redis, families: fresh, prefix: request.prefix)
            bumped.formUnion(fresh)
        }

        // The walks (run last), each with its pattern and the targets it tests keys against.
        let walkTargets = request.walkTargets
        let walks: [(pattern: [UInt8], targets: [InvalidationTarget])]
        if !walkTargets.isEmpty && walkTargets.count >= sharedWalkThreshold {
            walks = [(Self.sharedPattern(walkTargets), walkTargets)]
        } else {
            walks = walkTargets.map { ($0.scanPattern!, [$0]) }
        }

        // Keys by name first: no walk, milliseconds.
        var progress = InvalidationProgress(
            walk: 0, walks: walks.count, scanned: 0, walkedFraction: 0,
            databaseKeys: report.databaseKeys ?? 0, matched: 0, deleted: 0, namesDone: 0)
        report.keysNamed = request.keysNamed
        /// Deletes (dry run: looks up) one batch; false once Ctrl-C stops the run.
        func deleteBatch(_ names: [[UInt8]]) throws -> Bool {
            if Interrupt.isRequested {
                report.interrupted = true
                return false
            }
            // Each name once: UNLINK counts a key named twice in one command once, and a dry
            // run's EXISTS must count (and list) what the deletion would.
            var allowed: [[UInt8]] = []
            allowed.reserveCapacity(names.count)
            var seen = Set<[UInt8]>(minimumCapacity: names.count)
            for name in names {
                if ownKeys.contains(name) {
                    report.skippedInternal += 1
                } else if seen.insert(name).inserted {
                    allowed.append(name)
                }
            }
            try bump(allowed.lazy.compactMap(family(of:)))
            let found = try dryRun ? existing(allowed, onKey: onKey) : unlink(allowed, onKey: onKey)
            report.namedMatched += found
            report.matched += found
            if !dryRun { report.deleted += found }
            progress.namesDone += names.count
            progress.matched = report.matched
            progress.deleted = report.deleted
            onProgress(progress)
            return true
        }
        try request.namedKeys.forEachBatch(size: namesPerRoundTrip, deleteBatch)
        if let streamed = request.streamed, !report.interrupted {
            try streamed.forEachBatch(size: namesPerRoundTrip, deleteBatch)
        }
        if report.interrupted { return }

        // Then the walks, after bumping every family they may reach.
        guard !walks.isEmpty else { return }
        try bump(walkTargets.flatMap { $0.families(prefix: request.prefix) })
        let sweeper = scanCount.map { KeySweeper(redis: redis, count: $0) }
            ?? KeySweeper(redis: redis, count: 1_000, adaptiveCount: KeySweeper.adaptiveRange, batchTarget: 500)
        for (index, walk) in walks.enumerated() {
            progress.walk = index + 1
            let matchedBefore = report.matched
            let deletedBefore = report.deleted
            var skipped = 0
            let targets = walk.targets
            let single = targets.count == 1 ? targets[0] : nil
            // What the sweep had done when it last reported, should it fail.
            var sofar: SweepProgress?
            let sweep: SweepReport
            do {
                sweep = try sweeper.sweep(
                    pattern: walk.pattern, dryRun: dryRun,
                    accept: { key in
                        // The server's MATCH and the sweeper's glob test already passed: a plain
                        // pattern needs no second test.
                        let wanted: Bool
                        switch single {
                        case .pattern?: wanted = true
                        case let target?: wanted = target.matches(key)
                        case nil: wanted = targets.contains { $0.matches(key) }
                        }
                        guard wanted else { return false }
                        if ownKeys.contains(key) {
                            skipped += 1
                            return false
                        }
                        return true
                    },
                    onBatch: { sweep in
                        sofar = sweep
                        progress.scanned = sweep.scanned
                        progress.walkedFraction = sweep.walkedFraction
                        progress.matched = matchedBefore + sweep.matched
                        progress.deleted = deletedBefore + sweep.deleted
                        onProgress(progress)
                    },
                    onMatch: { onKey($0) })
            } catch {
                if let sofar {
                    report.walks.append(.init(pattern: walk.pattern, scanned: sofar.scanned, matched: sofar.matched, deleted: sofar.deleted))
                    report.matched += sofar.matched
                    report.deleted += sofar.deleted
                }
                throw error
            }
            report.walks.append(.init(pattern: walk.pattern, scanned: sweep.scanned, matched: sweep.matched, deleted: sweep.deleted))
            report.matched += sweep.matched
            report.deleted += sweep.deleted
            report.skippedInternal += skipped
            if sweep.interrupted {
                report.interrupted = true
                break
            }
        }
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
    private func unlink(_ names: [[UInt8]], onKey: ([UInt8]) -> Void) throws -> Int {
        guard !names.isEmpty else { return 0 }
        let deleted = try KeyDeleter(redis: redis, keysPerCommand: names.count, commandsPerRoundTrip: 1).delete(names)
        names.forEach(onKey)
        return deleted
    }

    /// How many of `names` exist (one EXISTS each, in one round trip, so each existing
    /// one is known).
    private func existing(_ names: [[UInt8]], onKey: ([UInt8]) -> Void) throws -> Int {
        let found = try KeyDeleter(redis: redis, keysPerCommand: names.count, commandsPerRoundTrip: 1).existing(names)
        found.forEach(onKey)
        return found.count
    }
}

/// wwctl's own keys, which invalidation never deletes: those under `{prefix}wwctl:` or
/// `wwctl:`, and any key holding `wwctl:epoch:` or `wwctl:lock:` (another key prefix's
/// epochs and locks, reached by a pattern run without that prefix). Deleting an epoch
/// would let a warm that read "no epoch" before the deletion write a stale value after it.
struct InternalKeyFilter {
    private let heads: [[UInt8]]
    private static let markers: [[UInt8]] = ["wwctl:epoch:", "wwctl:lock:"].map { Array($0.utf8) }

    init(prefix: String) {
        let head = Array((InternalKeys.namespace + ":").utf8)
        heads = prefix.isEmpty ? [head] : [Array(prefix.utf8) + head, head]
    }

    func contains(_ key: [UInt8]) -> Bool {
        if heads.contains(where: { key.count >= $0.count && key[..<$0.count].elementsEqual($0) }) { return true }
        guard key.count >= Self.markers[1].count else { return false }
        // Both markers start with "wwctl:": find each "w" with memchr, compare from there.
        return key.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            var offset = 0
            while offset < raw.count, let found = memchr(base + offset, Int32(UInt8(ascii: "w")), raw.count - offset) {
                let at = base.distance(to: UnsafeRawPointer(found))
                for marker in Self.markers where raw.count - at >= marker.count {
                    if marker.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, marker.count) }) == 0 { return true }
                }
                offset = at + 1
            }
            return false
        }
    }
}
