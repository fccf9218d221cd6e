import Keyspace
import Postgres
import Redis
import Support
import Synchronization

/// One `cache warm` run: a first pass over every family, then re-warm passes over what
/// concurrent changes refused or deleted, and the bookkeeping that makes its report equal
/// to what Redis holds.
///
/// Between passes the run reads the change log (`settle`): the keys the records name
/// that one of its passes wrote are looked up (EXISTS); those gone were deleted after this
/// warm wrote them (`invalidated`). They and the keys the guard refused are the next
/// re-warm pass's interest, read again from a new snapshot by their entities only.
final class WarmRun {
    let warmer: CacheWarmer
    let options: WarmOptions
    let selection: WarmSelection
    let plans: [String: WarmPlan]
    let started: ContinuousClock.Instant

    private var keyspace: BoundKeyspace { warmer.keyspace }
    private var passes: [WarmPass] = []
    private var view: WarmChangeView?
    private var lock: WarmLock?
    private var writers: [RedisConnection] = []
    /// What each family's next re-warm pass writes.
    private var interest: [String: WarmInterest] = [:]
    /// Passes whose refusals (and rewrites) the bookkeeping has taken in.
    private var accounted = Set<Int>()
    private var rounds = 0
    private let progress = WarmRunProgress()

    init(
        _ warmer: CacheWarmer, options: WarmOptions, selection: WarmSelection, plans: [String: WarmPlan],
        started: ContinuousClock.Instant
    ) {
        self.warmer = warmer
        self.options = options
        self.selection = selection
        self.plans = plans
        self.started = started
    }

    func perform() throws -> WarmReport {
        defer { tearDown() }
        do {
            try setUp()
            try pass(selection.families, round: 0)
            if !options.dryRun {
                while rounds < options.rewarmRounds {
                    try settle()
                    let due = selection.families.filter { !(interest[$0]?.isEmpty ?? true) }
                    if due.isEmpty { break }
                    rounds += 1
                    try pass(due, round: rounds)
                }
                options.beforeFinalAccount?()
                try settle()
            }
            if let lost = lock?.lost { throw lost }
            return report()
        } catch {
            // Nothing written yet (the lock is held, a server is down): the error alone.
            guard !passes.isEmpty else { throw error }
            let cause = (error as? any CategorizedError) ?? WWError.internalError("warm: \(error)")
            // What changes deleted so far, if Redis still answers.
            if !options.dryRun { try? settle() }
            throw WarmFailure(report: report(), cause: cause)
        }
    }

    // MARK: connections

    private func setUp() throws {
        guard !options.dryRun else { return }
        let lockConnection = try warmer.connection()
        let taken = try WarmLock.acquire(
            lockConnection, scope: options.scope.lockName, in: keyspace, ttlMilliseconds: options.lockTTLMilliseconds)
        lock = taken
        taken.startRenewing(interval: options.lockRenewInterval)
        view = WarmChangeView(keyspace: keyspace, position: try ChangeLog(redis: warmer.redis, keyspace: keyspace).position())
        for _ in 0..<max(1, options.writers) { writers.append(try warmer.connection()) }
    }

    private func tearDown() {
        if let lock { try? lock.release() }
        for writer in writers { writer.close() }
        writers = []
    }

    // MARK: passes

    /// One pass over each of `names`: the reader (this thread) produces, the writers write.
    private func pass(_ names: [String], round: Int) throws {
        guard let view else { return try dryPass(names) }
        let queue = WarmQueue(capacity: options.queueDepth, byteLimit: options.queueBytes)
        var finished: [WarmCompletion<Void>] = []
        for connection in writers {
            let writer = WarmWriter(redis: connection, view: view, mode: options.guardMode, onlyMissing: options.onlyMissing)
            try writer.loadScript()
            let job = WriterJob(
                writer: writer, queue: queue, lock: lock, options: options, progress: progress,
                familyCount: selection.families.count)
            let done = WarmCompletion<Void>()
            finished.append(done)
            DedicatedThread.start {
                do {
                    try job.run()
                    done.finish(.success(()))
                } catch {
                    queue.fail(error)
                    done.finish(.failure(error))
                }
            }
        }
        var thisRound: [WarmPass] = []
        defer { thisRound.forEach(view.unregister) }
        do {
            for name in names {
                guard let plan = plans[name] else { throw WWError.internalError("warm: no plan for family \(name)") }
                let wanted = round == 0 ? nil : interest.removeValue(forKey: name)
                // The change log's position (and the slots' epochs) before the snapshot. Any
                // position the log had before the snapshot will do: the view's, brought up
                // to date, so that the writers need not find the log moved at once.
                try view.catchUp(warmer.redis)
                let base = view.position
                let epochs = options.guardMode == .slotEpochs
                    ? try SlotEpochs.read(warmer.redis, family: name, in: keyspace, slots: wanted.flatMap(slots(of:))) : nil
                let filter = try wanted.flatMap { wanted in
                    wanted.all ? nil : try WarmEmitFilter(wanted, family: plan.family, in: keyspace)
                }
                let pass = WarmPass(
                    index: passes.count, familyIndex: selection.families.firstIndex(of: name) ?? 0, family: name,
                    round: round, base: base, slotEpochs: epochs, filter: filter)
                passes.append(pass)
                thisRound.append(pass)
                view.register(pass)
                let entities = wanted.flatMap { WarmEntityFilter.make(plan, $0, in: keyspace) }
                let produced = try warmer.produce(plan, pass: pass, entities: entities, options: options) {
                    try queue.push(.batch($0))
                }
                try queue.push(.passDone(pass, keys: produced.keys, bytes: produced.bytes, batches: produced.batches))
            }
            queue.close()
        } catch {
            queue.fail(error)
            for done in finished { _ = try? done.wait() }
            throw error
        }
        for done in finished { try done.wait() }
    }

    /// The slots a re-warm pass can write to: those of its keys; nil (every slot) when it
    /// writes whole entities or the whole family.
    private func slots(of interest: WarmInterest) -> [Int]? {
        guard !interest.all, interest.selectors.isEmpty else { return nil }
        return Set(interest.keys.map { keyspace.slot(of: $0) }).sorted()
    }

    /// A dry run: counts what each family would write, writes nothing.
    private func dryPass(_ names: [String]) throws {
        for name in names {
            guard let plan = plans[name] else { throw WWError.internalError("warm: no plan for family \(name)") }
            let pass = WarmPass(
                index: passes.count, familyIndex: selection.families.firstIndex(of: name) ?? 0, family: name, round: 0,
                base: .none, slotEpochs: nil, filter: nil)
            passes.append(pass)
            let produced = try warmer.produce(plan, pass: pass, entities: nil, options: options) { _ in }
            pass.produced(batches: 0, keys: produced.keys, bytes: produced.bytes)
        }
    }

    // MARK: bookkeeping

    private func passes(of family: String) -> [WarmPass] { passes.filter { $0.family == family } }

    /// Reads the change log up to now and takes in what the records and the passes since
    /// the last time tell: keys deleted after this warm wrote them, keys refused, keys
    /// written again. Builds the next re-warm passes' interest.
    private func settle() throws {
        guard let view else { return }
        try view.catchUp(warmer.redis)
        let warmed = Set(passes.map(\.family))
        let (lost, records) = view.takeNewRecords()
        if lost {
            // What happened in between cannot be known: every family as a whole.
            for family in warmed {
                passes(of: family).forEach { $0.invalidateAll() }
                interest[family, default: WarmInterest()].all = true
            }
        }
        var candidates: [String: Set<[UInt8]>] = [:]
        for (_, record) in records {
            for touch in record.touches where warmed.contains(touch.family) {
                switch touch.touch {
                case .keys(let keys), .swept(_, let keys):
                    candidates[touch.family, default: []].formUnion(keys)
                case .selector(let params):
                    var wanted = interest[touch.family, default: WarmInterest()]
                    if !wanted.selectors.contains(params) { wanted.selectors.append(params) }
                    interest[touch.family] = wanted
                case .all:
                    passes(of: touch.family).forEach { $0.invalidateAll() }
                    interest[touch.family, default: WarmInterest()].all = true
                }
            }
        }
        for pass in passes where !accounted.contains(pass.index) {
            accounted.insert(pass.index)
            take(pass)
        }
        for (family, keys) in candidates { try lookUp(keys, of: family) }
    }

    /// A finished pass's refusals become interest; a re-warm pass's writes supersede the
    /// copies earlier passes wrote of the same keys.
    private func take(_ pass: WarmPass) {
        let state = pass.snapshot
        var wanted = interest[pass.family, default: WarmInterest()]
        if state.refusedAll {
            wanted.all = true
            wanted.refusedWholesale += state.refusedCount
        } else {
            for key in state.refused {
                wanted.keys.insert(key)
                wanted.refused.insert(key)
            }
        }
        interest[pass.family] = wanted
        guard pass.round > 0 else { return }
        let earlier = passes(of: pass.family).filter { $0.index < pass.index }
        guard !earlier.isEmpty else { return }
        for hash in pass.writtenHashes {
            for other in earlier { other.supersede(hash) }
        }
    }

    /// Of `keys` (named by changes), those a pass of this run holds are looked up: the ones
    /// gone were deleted after this warm wrote them.
    private func lookUp(_ keys: Set<[UInt8]>, of family: String) throws {
        let passes = passes(of: family)
        let held = keys.filter { key in
            let hash = KeyHash.of(key)
            return passes.contains { $0.holds(hash) }
        }
        guard !held.isEmpty else { return }
        let names = Array(held)
        var gone: [[UInt8]] = []
        try warmer.redis.pipelined(names.lazy.map { ["EXISTS", $0] as [any RedisArgument] }, batchSize: 1000) { index, reply in
            if let message = reply.errorMessage {
                throw RedisError(kind: .server, address: warmer.redis.address, detail: "EXISTS: \(message)", serverMessage: message, command: "EXISTS")
            }
            if reply.int == 0 { gone.append(names[index]) }
        }
        var wanted = interest[family, default: WarmInterest()]
        for key in gone {
            let hash = KeyHash.of(key)
            for pass in passes { pass.invalidate(hash) }
            wanted.keys.insert(key)
        }
        interest[family] = wanted
    }

    // MARK: report

    private func report() -> WarmReport {
        var families = selection.families.map { WarmFamilyReport(name: $0) }
        for pass in passes {
            let state = pass.snapshot
            var family = families[pass.familyIndex]
            family.elapsedSeconds += CacheWarmer.seconds(state.started, state.finished ?? .now)
            if options.dryRun {
                family.keys += state.producedKeys
                family.written += state.producedKeys
                family.bytes += state.producedBytes
            } else {
                family.written += state.writtenCount
                family.keys += pass.held
                family.bytes += state.bytes
                family.refused += state.refusedCount
                family.invalidated += pass.invalidatedCount
                family.present += state.present
                family.unconfirmed += state.unconfirmed
                if pass.round > 0 {
                    family.rounds += 1
                    family.rewarmed += state.writtenCount
                    if let filter = pass.filter { family.gone += filter.keys.subtracting(state.emitted).count }
                }
            }
            families[pass.familyIndex] = family
        }
        for index in families.indices {
            families[index].unwarmed = interest[families[index].name]?.refusedCount ?? 0
            families[index].incomplete = families[index].unwarmed > 0
        }
        var report = WarmReport(
            scope: options.scope, dryRun: options.dryRun, onlyMissing: options.onlyMissing, guardMode: options.guardMode,
            families: families, outOfScope: selection.outOfScope, elapsedSeconds: CacheWarmer.seconds(since: started))
        let begun = Set(passes.map(\.family))
        report.notStarted = selection.families.filter { !begun.contains($0) }
        report.changeLog = view?.position ?? .none
        return report
    }
}

/// Keys written and passes done so far, for the progress line.
final class WarmRunProgress: Sendable {
    private let counts = Mutex<(keys: Int, passes: Int)>((0, 0))

    func add(keys: Int, passesDone: Int) -> (keys: Int, passes: Int) {
        counts.withLock { counts in
            counts.keys += keys
            counts.passes += passesDone
            return counts
        }
    }
}

/// A writer thread's loop: takes batches off the queue, several per round trip, until
/// the reader closes it.
private final class WriterJob: @unchecked Sendable {
    let writer: WarmWriter
    let queue: WarmQueue
    let lock: WarmLock?
    let options: WarmOptions
    let progress: WarmRunProgress
    let familyCount: Int

    init(writer: WarmWriter, queue: WarmQueue, lock: WarmLock?, options: WarmOptions, progress: WarmRunProgress, familyCount: Int) {
        self.writer = writer
        self.queue = queue
        self.lock = lock
        self.options = options
        self.progress = progress
        self.familyCount = familyCount
    }

    func run() throws {
        var batches: [WarmBatch] = []
        while true {
            if let lost = lock?.lost { throw lost }
            try Interrupt.check()
            let items = try queue.pop(upTo: options.batchesPerRoundTrip, byteLimit: options.roundTripBytes)
            if items.isEmpty { return }
            batches.removeAll(keepingCapacity: true)
            for case .batch(let batch) in items { batches.append(batch) }
            try writer.write(batches)
            var done = 0
            for case .passDone(let pass, let keys, let bytes, let count) in items {
                pass.produced(batches: count, keys: keys, bytes: bytes)
                done += 1
            }
            let (keys, passes) = progress.add(keys: batches.reduce(0) { $0 + $1.count }, passesDone: done)
            if let report = options.progress, let last = batches.last {
                report(WarmProgress(family: last.pass.family, keys: keys, familiesDone: min(passes, familyCount), familyCount: familyCount))
            }
        }
    }
}
