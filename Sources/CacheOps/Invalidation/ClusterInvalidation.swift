import Keyspace
import Redis
import Support
import Synchronization

/// `cache invalidate` on a Redis Cluster: what `PatternInvalidation` does on one server,
/// with every primary worked at once.
///
/// - Keys by name are grouped by the primary of their slot and pipelined per node
///   (`RedisClusterRouter.pipeline(keyed:)`), redirections followed; their epochs are
///   bumped first on the nodes that own them (`ClusterEpochs`).
/// - Each walk runs on every primary at once, a thread each (`forEachPrimary`): SCAN on a
///   node returns only that node's keys, so each key found is deleted on the node that
///   returned it, one UNLINK per key (a batch's keys are in many slots). A key whose slot
///   moved or is migrating since SCAN returned it is answered with MOVED or ASK and
///   deleted where it now is, through a router of the run's own (`KeySweeper.redirected`).
///   A pattern whose literal part pins one slot (`{tag}…`) walks only that slot's node.
///   The epochs of every family the walks may reach are bumped on every node before any walk.
/// - A key migrated between nodes while a walk runs is found by the walk of the node it
///   was on when that node's SCAN passed it, or of the node it arrived on: SCAN returns
///   every key present on a node for the whole walk, and MIGRATE moves a key atomically.
public struct ClusterInvalidation: InvalidationService {
    public let cluster: RedisClusterRouter
    /// SCAN COUNT, fixed; nil adapts it, as on one server.
    public var scanCount: Int?
    public var namesPerRoundTrip: Int
    public var sharedWalkThreshold: Int

    public init(cluster: RedisClusterRouter, scanCount: Int? = nil, namesPerRoundTrip: Int = 1_000, sharedWalkThreshold: Int = 3) {
        self.cluster = cluster
        self.scanCount = scanCount
        self.namesPerRoundTrip = namesPerRoundTrip
        self.sharedWalkThreshold = sharedWalkThreshold
    }

    /// Runs `request` as `PatternInvalidation.run` does; the report says per node what was
    /// done. `onProgress` and `onKey` are called from the nodes' threads, one call at a time.
    public func run(
        _ request: InvalidationRequest, dryRun: Bool,
        onProgress: (InvalidationProgress) -> Void = { _ in },
        onKey: ([UInt8]) -> Void = { _ in }
    ) throws -> InvalidationReport {
        try request.validate()
        let clock = ContinuousClock()
        let start = clock.now
        var report = InvalidationReport(dryRun: dryRun)
        report.keysNamed = request.keysNamed
        let sizes = cluster.forEachPrimary { _, connection in Int(try connection.command(["DBSIZE"]).int ?? 0) }
        report.nodes = try sizes.map { InvalidationReport.Node(address: $0.node.description, databaseKeys: try $0.outcome.get()) }
        report.databaseKeys = report.nodes.reduce(0) { $0 + $1.databaseKeys }
        var bumped = Set<String>()
        do {
            try deleteNames(request, dryRun: dryRun, report: &report, bumped: &bumped, onProgress: onProgress, onKey: onKey)
            if !report.interrupted {
                try walk(request, dryRun: dryRun, report: &report, bumped: &bumped, onProgress: onProgress, onKey: onKey)
            }
        } catch let error as CategorizedError {
            report.families = bumped.sorted()
            report.elapsed = clock.now - start
            throw InvalidationFailure(report: report, cause: error)
        }
        report.families = bumped.sorted()
        report.elapsed = clock.now - start
        return report
    }

    /// Each primary's estimate of its share (`PatternInvalidation.estimate`), added up.
    public func estimate(_ request: InvalidationRequest) throws -> InvalidationEstimate {
        var total = InvalidationEstimate(
            databaseKeys: 0, keysNamed: request.keysNamed, sampled: 0, sampleMatches: 0, hasWalks: !request.walkTargets.isEmpty)
        for (_, outcome) in cluster.forEachPrimary({ _, connection in try PatternInvalidation(redis: connection).estimate(request) }) {
            let node = try outcome.get()
            total.databaseKeys += node.databaseKeys
            total.sampled += node.sampled
            total.sampleMatches += node.sampleMatches
        }
        return total
    }

    // MARK: by name

    private func deleteNames(
        _ request: InvalidationRequest, dryRun: Bool, report: inout InvalidationReport, bumped: inout Set<String>,
        onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void
    ) throws {
        let ownKeys = InternalKeyFilter(request.keyspace)
        let epochs = ClusterEpochs(cluster: cluster, keyspace: request.keyspace)
        var progress = InvalidationProgress(
            walk: 0, walks: 0, scanned: 0, walkedFraction: 0, databaseKeys: report.databaseKeys ?? 0, matched: 0, deleted: 0, namesDone: 0)
        let batch: ([[UInt8]]) throws -> Bool = { names in
            if Interrupt.isRequested {
                report.interrupted = true
                return false
            }
            let (allowed, skipped) = InvalidationRun.deletable(names, ownKeys: ownKeys)
            report.skippedInternal += skipped
            if !dryRun {
                let record = ChangeRecord.keys(allowed, in: request.keyspace)
                try epochs.bump(record)
                bumped.formUnion(record.families)
            }
            let verb = dryRun ? "EXISTS" : "UNLINK"
            let replies = try cluster.pipeline(keyed: allowed.map { ($0, [verb, $0]) })
            var found = 0
            var foundPerNode: [ClusterNode: Int] = [:]
            for (name, reply) in zip(allowed, replies) {
                let node = try cluster.primary(forKey: name)
                if let message = reply.errorMessage {
                    throw RedisError(kind: .server, address: node.description, detail: "\(verb): \(message)", serverMessage: message, command: verb)
                }
                let count = Int(reply.int ?? 0)
                found += count
                foundPerNode[node, default: 0] += count
                if !dryRun || count > 0 { onKey(name) }
            }
            // Once per node and batch, not per key.
            for (node, count) in foundPerNode {
                let address = node.description
                if let index = report.nodes.firstIndex(where: { $0.address == address }) { report.nodes[index].namedMatched += count }
            }
            report.addNamedBatch(names: names.count, found: found, progress: &progress)
            onProgress(progress)
            return true
        }
        try KeyNames(request.namedKeys).forEachBatch(size: namesPerRoundTrip, batch)
        if let streamed = request.streamed, !report.interrupted {
            try streamed.forEachBatch(size: namesPerRoundTrip, batch)
        }
    }

    // MARK: walks

    private func walk(
        _ request: InvalidationRequest, dryRun: Bool, report: inout InvalidationReport, bumped: inout Set<String>,
        onProgress: (InvalidationProgress) -> Void, onKey: ([UInt8]) -> Void
    ) throws {
        let walks = request.plannedWalks(sharedWalkThreshold: sharedWalkThreshold)
        guard !walks.isEmpty else { return }
        if !dryRun {
            let record = request.walkRecord()
            try ClusterEpochs(cluster: cluster, keyspace: request.keyspace).bump(record)
            bumped.formUnion(record.families)
        }
        let ownKeys = InternalKeyFilter(request.keyspace)
        let mapBefore = cluster.map
        let migratingBefore = cluster.slotsInMigration()
        // Keys redirected during a migration are deleted through a router of their own,
        // one thread at a time, so no node's connection is used by two threads.
        let redirects = Mutex(cluster.sibling())
        let shared = Mutex(Shared(nodes: report.nodes.count, base: report))
        let scanCount = self.scanCount
        let addresses = report.nodes.map(\.address)
        for (index, walk) in walks.enumerated() {
            let pinned = Glob.pinnedSlot(of: walk.pattern).flatMap { cluster.map.primary(ofSlot: $0) }
            let outcomes = withoutActuallyEscaping(onProgress) { onProgress in
                withoutActuallyEscaping(onKey) { onKey in
                    cluster.forEachPrimary { node, connection -> SweepReport in
                        guard pinned == nil || pinned == node else { return SweepReport() }
                        let position = addresses.firstIndex(of: node.description) ?? 0
                        var sweeper = scanCount.map { KeySweeper(redis: connection, count: $0) }
                            ?? KeySweeper(redis: connection, count: 1_000, adaptiveCount: KeySweeper.adaptiveRange, batchTarget: 500)
                        sweeper.redirected = { key in
                            try redirects.withLock { router in
                                Int(try router.command(key: key, [dryRun ? "EXISTS" : "UNLINK", key]).int ?? 0)
                            }
                        }
                        return try sweeper.sweep(
                            pattern: walk.pattern, dryRun: dryRun,
                            accept: { key in
                                guard InvalidationRequest.walkAccepts(key, targets: walk.targets) else { return false }
                                if ownKeys.contains(key) {
                                    shared.withLock { $0.skipped += 1 }
                                    return false
                                }
                                return true
                            },
                            onBatch: { sweep in
                                shared.withLock { state in
                                    state.latest[position] = sweep
                                    onProgress(state.progress(walk: index + 1, walks: walks.count))
                                }
                            },
                            onMatch: { key in shared.withLock { _ in onKey(key) } })
                    }
                }
            }
            var failure: (any Error)?
            for (node, outcome) in outcomes {
                let position = report.nodes.firstIndex { $0.address == node.description }
                switch outcome {
                case .success(let sweep):
                    record(sweep.scanned, sweep.matched, sweep.deleted, at: position, pattern: walk.pattern, in: &report)
                    if sweep.interrupted { report.interrupted = true }
                case .failure(let error):
                    // What the node confirmed before it failed.
                    if let position, let sofar = shared.withLock({ $0.latest[position] }) {
                        record(sofar.scanned, sofar.matched, sofar.deleted, at: position, pattern: walk.pattern, in: &report)
                    }
                    failure = failure ?? error
                }
                shared.withLock { $0.latest = Array(repeating: nil, count: report.nodes.count) }
            }
            report.skippedInternal += shared.withLock { state in
                defer { state.skipped = 0 }
                return state.skipped
            }
            shared.withLock { $0.base = report }
            if let failure { throw failure }
            if report.interrupted { break }
        }
        if !report.interrupted {
            try sweepMovedSlots(
                walks, since: mapBefore, migrating: migratingBefore, dryRun: dryRun, ownKeys: ownKeys, report: &report, onKey: onKey)
        }
    }

    /// A key that changed nodes while the walks ran may have been passed by both nodes'
    /// SCANs (gone from one before its cursor got there, arrived on the other after its
    /// cursor had passed): SCAN only promises the keys present on a node for the whole
    /// walk. So every slot that changed owner, or was migrating before or after, is read
    /// again by name, `CLUSTER GETKEYSINSLOT`, on each node it was or is on (the migrating
    /// node before the importing one, so a key moving between the two reads is seen on the
    /// second), and its matching keys are deleted through the router.
    private func sweepMovedSlots(
        _ walks: [(pattern: [UInt8], targets: [InvalidationTarget])], since before: ClusterSlotMap, migrating: Set<Int>,
        dryRun: Bool, ownKeys: InternalKeyFilter, report: inout InvalidationReport, onKey: ([UInt8]) -> Void
    ) throws {
        try cluster.refresh()
        var slots = migrating.union(cluster.slotsInMigration())
        for slot in 0..<HashSlot.count where before.primary(ofSlot: slot) != cluster.map.primary(ofSlot: slot) { slots.insert(slot) }
        var seen = Set<[UInt8]>()
        for slot in slots.sorted() {
            var nodes: [ClusterNode] = []
            for node in [before.primary(ofSlot: slot), cluster.map.primary(ofSlot: slot)].compactMap({ $0 }) + cluster.map.primaries
            where !nodes.contains(node) { nodes.append(node) }
            for node in nodes {
                let connection = try cluster.connection(to: node)
                let count = Int(try connection.command(["CLUSTER", "COUNTKEYSINSLOT", slot]).int ?? 0)
                guard count > 0 else { continue }
                let keys = (try connection.command(["CLUSTER", "GETKEYSINSLOT", slot, count]).array ?? []).compactMap(\.bytes)
                for key in keys where seen.insert(key).inserted {
                    guard !ownKeys.contains(key),
                          walks.contains(where: { Glob.scanMatches(pattern: $0.pattern, key: key) && InvalidationRequest.walkAccepts(key, targets: $0.targets) })
                    else { continue }
                    let found = Int(try cluster.command(key: key, [dryRun ? "EXISTS" : "UNLINK", key]).int ?? 0)
                    guard found > 0 else { continue }
                    onKey(key)
                    report.matched += found
                    if !dryRun { report.deleted += found }
                    report.movedDuringWalk += found
                }
            }
        }
    }

    /// Adds one node's sweep to the node's line, the walk's line and the totals.
    private func record(_ scanned: Int, _ matched: Int, _ deleted: Int, at position: Int?, pattern: [UInt8], in report: inout InvalidationReport) {
        if let position {
            report.nodes[position].scanned += scanned
            report.nodes[position].matched += matched
            report.nodes[position].deleted += deleted
        }
        if let last = report.walks.indices.last, report.walks[last].pattern == pattern {
            report.walks[last].scanned += scanned
            report.walks[last].matched += matched
            report.walks[last].deleted += deleted
        } else {
            report.walks.append(.init(pattern: pattern, scanned: scanned, matched: matched, deleted: deleted))
        }
        report.matched += matched
        report.deleted += deleted
    }

    /// What the nodes' threads share while a walk runs.
    private struct Shared: ~Copyable {
        /// Each node's last progress in this walk.
        var latest: [SweepProgress?]
        /// The report before this walk.
        var base: InvalidationReport
        var skipped = 0

        init(nodes: Int, base: InvalidationReport) {
            latest = Array(repeating: nil, count: nodes)
            self.base = base
        }

        func progress(walk: Int, walks: Int) -> InvalidationProgress {
            let sweeps = latest.compactMap { $0 }
            return InvalidationProgress(
                walk: walk, walks: walks, scanned: sweeps.reduce(0) { $0 + $1.scanned },
                walkedFraction: latest.isEmpty ? 0 : sweeps.reduce(0) { $0 + $1.walkedFraction } / Double(latest.count),
                databaseKeys: base.databaseKeys ?? 0,
                matched: base.matched + sweeps.reduce(0) { $0 + $1.matched },
                deleted: base.deleted + sweeps.reduce(0) { $0 + $1.deleted }, namesDone: base.keysNamed)
        }
    }
}
