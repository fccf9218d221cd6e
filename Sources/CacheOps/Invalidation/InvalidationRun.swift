import Keyspace
import Redis
import Support

/// One `PatternInvalidation.run`: what it was asked, and what it has done so far. Keys by
/// name go first, in batches (no walk: milliseconds), then the walks. Before a batch of
/// names is deleted, the epochs of those keys are bumped (`InvalidationEpochs`); before
/// the walks, those of every family they may reach, and the keys the walks of selectors
/// deleted are recorded after them.
struct InvalidationRun {
    let invalidation: PatternInvalidation
    let request: InvalidationRequest
    let dryRun: Bool
    /// wwctl's own keys, never deleted.
    private let ownKeys: InternalKeyFilter

    private(set) var report: InvalidationReport
    /// The families whose epochs this run bumped.
    private(set) var bumped = Set<String>()
    /// The keys the walks delete for selector targets, recorded once they are done.
    private var swept: SweptKeys?
    private var progress: InvalidationProgress

    init(_ invalidation: PatternInvalidation, request: InvalidationRequest, dryRun: Bool) {
        self.invalidation = invalidation
        self.request = request
        self.dryRun = dryRun
        self.ownKeys = InternalKeyFilter(request.keyspace)
        self.report = InvalidationReport(dryRun: dryRun)
        self.progress = InvalidationProgress(
            walk: 0, walks: 0, scanned: 0, walkedFraction: 0, databaseKeys: 0, matched: 0, deleted: 0, namesDone: 0)
    }

    private var redis: RedisConnection { invalidation.redis }

    /// Deletes (dry run: looks up) the named keys, then walks. See `PatternInvalidation.run`.
    mutating func perform(onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void) throws {
        report.databaseKeys = Int(try redis.command(["DBSIZE"]).int ?? 0)
        let walks = plannedWalks()
        progress.walks = walks.count
        progress.databaseKeys = report.databaseKeys ?? 0
        report.keysNamed = request.keysNamed

        try KeyNames(request.namedKeys).forEachBatch(size: invalidation.namesPerRoundTrip) {
            try deleteBatch($0, onProgress: onProgress, onKey: onKey)
        }
        if let streamed = request.streamed, !report.interrupted {
            try streamed.forEachBatch(size: invalidation.namesPerRoundTrip) {
                try deleteBatch($0, onProgress: onProgress, onKey: onKey)
            }
        }
        if report.interrupted { return }

        // Then the walks, after bumping every family they may reach.
        guard !walks.isEmpty else { return }
        let reached = walkRecord()
        if !dryRun {
            swept = SweptKeys(try bump(reached), families: reached.selectorFamilies, in: request.keyspace)
        }
        defer { recordSwept() }
        let sweeper = invalidation.scanCount.map { KeySweeper(redis: redis, count: $0) }
            ?? KeySweeper(redis: redis, count: 1_000, adaptiveCount: KeySweeper.adaptiveRange, batchTarget: 500)
        for (index, walk) in walks.enumerated() {
            progress.walk = index + 1
            try run(walk, with: sweeper, onProgress: onProgress, onKey: onKey)
            if report.interrupted { break }
        }
    }

    private func plannedWalks() -> [(pattern: [UInt8], targets: [InvalidationTarget])] {
        request.plannedWalks(sharedWalkThreshold: invalidation.sharedWalkThreshold)
    }

    /// Bumps the epochs of what `record` touches (not in a dry run).
    @discardableResult
    private mutating func bump(_ record: ChangeRecord) throws -> ChangeLogPosition? {
        guard !dryRun else { return nil }
        let position = try InvalidationEpochs(redis: redis, keyspace: request.keyspace).bump(record)
        bumped.formUnion(record.families)
        return position
    }

    private func walkRecord() -> ChangeRecord { request.walkRecord() }

    /// Appends which keys the selectors' walks deleted (best effort: a warm that does not
    /// find the record treats the family as touched as a whole).
    private mutating func recordSwept() {
        guard let record = swept?.record, !record.isEmpty else { return }
        _ = try? InvalidationEpochs(redis: redis, keyspace: request.keyspace).bump(record)
        swept = nil
    }

    /// Deletes (dry run: looks up) one batch of names; false once Ctrl-C stops the run.
    private mutating func deleteBatch(
        _ names: [[UInt8]], onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void
    ) throws -> Bool {
        if Interrupt.isRequested {
            report.interrupted = true
            return false
        }
        // Each name once: UNLINK counts a key named twice in one command once, and a dry
        // run's EXISTS must count (and list) what the deletion would.
        let (allowed, skipped) = Self.deletable(names, ownKeys: ownKeys)
        report.skippedInternal += skipped
        try bump(ChangeRecord.keys(allowed, in: request.keyspace))
        let found = try dryRun
            ? invalidation.existing(allowed, onKey: onKey) : invalidation.unlink(allowed, onKey: onKey)
        report.addNamedBatch(names: names.count, found: found, progress: &progress)
        onProgress(progress)
        return true
    }

    /// One SCAN walk: every key that passes its targets' exact test, except wwctl's own.
    private mutating func run(
        _ walk: (pattern: [UInt8], targets: [InvalidationTarget]), with sweeper: KeySweeper,
        onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void
    ) throws {
        let matchedBefore = report.matched
        let deletedBefore = report.deleted
        var skipped = 0
        let targets = walk.targets
        let ownKeys = self.ownKeys
        var progress = self.progress
        // What the sweep had done when it last reported, should it fail: the report of a
        // run cut off by a server failure counts the deletions the server confirmed.
        var sofar: SweepProgress?
        var swept = self.swept
        defer { self.swept = swept }
        let sweep: SweepReport
        do {
            sweep = try sweeper.sweep(
                pattern: walk.pattern, dryRun: dryRun,
                accept: { key in
                    // The server's MATCH and the sweeper's glob test already passed: a plain
                    // pattern needs no second test.
                    guard InvalidationRequest.walkAccepts(key, targets: targets) else { return false }
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
                onMatch: { key in
                    swept?.add(key)
                    onKey(key)
                })
        } catch {
            if let sofar {
                report.walks.append(.init(pattern: walk.pattern, scanned: sofar.scanned, matched: sofar.matched, deleted: sofar.deleted))
                report.matched += sofar.matched
                report.deleted += sofar.deleted
            }
            throw error
        }
        self.progress = progress
        report.walks.append(.init(pattern: walk.pattern, scanned: sweep.scanned, matched: sweep.matched, deleted: sweep.deleted))
        report.matched += sweep.matched
        report.deleted += sweep.deleted
        report.skippedInternal += skipped
        if sweep.interrupted { report.interrupted = true }
    }
}

extension InvalidationRun {
    /// `names` without wwctl's own keys (counted) and each once.
    static func deletable(_ names: [[UInt8]], ownKeys: InternalKeyFilter) -> (allowed: [[UInt8]], skipped: Int) {
        var allowed: [[UInt8]] = []
        allowed.reserveCapacity(names.count)
        var seen = Set<[UInt8]>(minimumCapacity: names.count)
        var skipped = 0
        for name in names {
            if ownKeys.contains(name) {
                skipped += 1
            } else if seen.insert(name).inserted {
                allowed.append(name)
            }
        }
        return (allowed, skipped)
    }
}

extension InvalidationRequest {
    /// The walks (run last), each with its pattern and the targets it tests keys against:
    /// one per target, or one shared from `sharedWalkThreshold` targets on.
    func plannedWalks(sharedWalkThreshold: Int) -> [(pattern: [UInt8], targets: [InvalidationTarget])] {
        if !walkTargets.isEmpty && walkTargets.count >= sharedWalkThreshold {
            return [(PatternInvalidation.sharedPattern(walkTargets), walkTargets)]
        }
        return walkTargets.map { ($0.scanPattern!, [$0]) }
    }

    /// What the walks touch: every family a pattern may reach, as a whole; a selector's
    /// family through its fixed parameters.
    func walkRecord() -> ChangeRecord {
        var record = ChangeRecord()
        for target in walkTargets {
            switch target {
            case .selector(let selector): record = record.merged(ChangeRecord.selectors([selector]))
            case .pattern, .key: record = record.merged(ChangeRecord.all(target.families(in: keyspace), in: keyspace))
            }
        }
        // A family both reached as a whole and through selectors is touched as a whole.
        let whole = Set(record.touches.filter { $0.touch == .all }.map(\.family))
        return ChangeRecord(record.touches.filter { $0.touch == .all || !whole.contains($0.family) })
    }

    /// Whether `key` passes the exact test of `targets` (a walk's), a plain single pattern
    /// needing none beyond the server's MATCH and the sweeper's glob test.
    static func walkAccepts(_ key: [UInt8], targets: [InvalidationTarget]) -> Bool {
        if targets.count == 1 {
            if case .pattern = targets[0] { return true }
            return targets[0].matches(key)
        }
        return targets.contains { $0.matches(key) }
    }
}
