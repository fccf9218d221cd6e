import Keyspace
import Support
import Synchronization

/// What a re-warm pass of a family is to write again: keys by name (refused, or deleted by
/// a change after the warm wrote them), every key of some entities (a sweep's selector),
/// or the whole family.
struct WarmInterest: Sendable {
    var keys: Set<[UInt8]> = []
    var selectors: [[KeyParam]] = []
    var all = false
    /// Of `keys`, those the guard refused (the others a change deleted after this warm
    /// wrote them); and how many keys passes refused as a whole (with `all`).
    var refused: Set<[UInt8]> = []
    var refusedWholesale = 0

    var isEmpty: Bool { keys.isEmpty && selectors.isEmpty && !all }

    /// Refused keys this interest would write again.
    var refusedCount: Int { refused.count + refusedWholesale }
}

/// Which keys a re-warm pass emits: those of its interest (nil filter: every key).
struct WarmEmitFilter: @unchecked Sendable {
    let keys: Set<[UInt8]>
    let selectors: [KeySelector]

    init(_ interest: WarmInterest, family: KeyFamily, in keyspace: BoundKeyspace) throws {
        keys = interest.keys
        selectors = try interest.selectors.map { params in
            try keyspace.selector(family, params: Dictionary(params.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    func wants(_ key: [UInt8]) -> Bool {
        keys.contains(key) || selectors.contains { $0.matches(key) }
    }
}

/// One family read from one snapshot and written: the first pass of a warm reads every
/// key, a re-warm pass only its interest. Readers, writers and the run's bookkeeping
/// share it; everything that changes is behind its lock.
final class WarmPass: Sendable {
    /// Its place among the run's passes, and its family's among the run's families.
    let index: Int
    let familyIndex: Int
    let family: String
    let round: Int
    /// The change log's position read before the snapshot: the records after it may
    /// name keys this pass must not write.
    let base: ChangeLogPosition
    /// With the per-slot guard, the family's epochs read before the snapshot.
    let slotEpochs: SlotEpochs?
    /// A re-warm pass's keys; nil for a pass over the whole family.
    let filter: WarmEmitFilter?

    struct State {
        var written = WrittenKeys()
        /// Keys set (with NX: set because absent) and their bytes.
        var writtenCount = 0
        var bytes = 0
        /// `--only-missing`: keys left alone because they exist.
        var present = 0
        /// Keys the guard refused, by name, and how many (a pass refused as a whole keeps
        /// only the count).
        var refused: [[UInt8]] = []
        var refusedCount = 0
        /// The whole family was invalidated after this pass's snapshot.
        var refusedAll = false
        /// Keys in round trips whose replies never came: written or not.
        var unconfirmed = 0
        /// Keys this pass wrote that a change deleted afterwards (by hash, each once).
        var invalidated = Set<UInt64>()
        var invalidatedAll = false
        /// Keys this pass wrote that a later pass wrote again: that pass counts them.
        var superseded = Set<UInt64>()
        /// A re-warm pass: the keys of its interest it emitted (the others are gone).
        var emitted: Set<[UInt8]> = []
        /// Batches produced (once the reader is done) and answered.
        var batchesProduced: Int?
        var batchesAnswered = 0
        var producedKeys = 0
        var producedBytes = 0
        var started: ContinuousClock.Instant = .now
        var finished: ContinuousClock.Instant?
    }

    let state: Mutex<State>

    init(
        index: Int, familyIndex: Int, family: String, round: Int, base: ChangeLogPosition, slotEpochs: SlotEpochs?,
        filter: WarmEmitFilter?
    ) {
        self.index = index
        self.familyIndex = familyIndex
        self.family = family
        self.round = round
        self.base = base
        self.slotEpochs = slotEpochs
        self.filter = filter
        state = Mutex(State())
    }

    /// A batch's outcome: the hashes and bytes of the keys written.
    func written(hashes: some Collection<UInt64>, count: Int, bytes: Int, present: Int) {
        state.withLock { state in
            state.written.append(hashes)
            state.writtenCount += count
            state.bytes += bytes
            state.present += present
        }
    }

    func refused(_ keys: [[UInt8]], count: Int) {
        state.withLock { state in
            if state.refusedAll {
                state.refusedCount += count
                return
            }
            state.refused.append(contentsOf: keys)
            state.refusedCount += count
        }
    }

    /// Every key from now on is refused: the family was invalidated as a whole.
    func refuseAll() {
        state.withLock { state in
            state.refusedAll = true
            state.refused = []
        }
    }

    var isRefusedAll: Bool { state.withLock { $0.refusedAll } }

    func unconfirmed(_ count: Int) {
        state.withLock { $0.unconfirmed += count }
    }

    func answered(batches: Int) {
        state.withLock { state in
            state.batchesAnswered += batches
            Self.finishIfComplete(&state)
        }
    }

    func produced(batches: Int, keys: Int, bytes: Int) {
        state.withLock { state in
            state.batchesProduced = batches
            state.producedKeys = keys
            state.producedBytes = bytes
            Self.finishIfComplete(&state)
        }
    }

    func emitted(_ key: [UInt8]) {
        state.withLock { _ = $0.emitted.insert(key) }
    }

    private static func finishIfComplete(_ state: inout State) {
        guard state.finished == nil, let produced = state.batchesProduced, state.batchesAnswered >= produced else { return }
        state.finished = .now
    }

    // MARK: after the pass

    /// Whether this pass wrote the key of `hash` and still counts it: no change was found
    /// to delete it since, and no later pass wrote it again.
    func holds(_ hash: UInt64) -> Bool {
        state.withLock { Self.holds(&$0, hash) }
    }

    private static func holds(_ state: inout State, _ hash: UInt64) -> Bool {
        !state.invalidatedAll && !state.invalidated.contains(hash) && !state.superseded.contains(hash)
            && state.written.contains(hash)
    }

    /// A change deleted the key of `hash`, which this pass wrote and held.
    func invalidate(_ hash: UInt64) {
        state.withLock { state in
            if Self.holds(&state, hash) { state.invalidated.insert(hash) }
        }
    }

    /// A later pass wrote the key of `hash` again.
    func supersede(_ hash: UInt64) {
        state.withLock { state in
            if Self.holds(&state, hash) { state.superseded.insert(hash) }
        }
    }

    /// A change deleted the family as a whole.
    func invalidateAll() {
        state.withLock { $0.invalidatedAll = true }
    }

    /// The hashes of the keys this pass wrote.
    var writtenHashes: [UInt64] {
        state.withLock { $0.written.all }
    }

    /// Keys this pass wrote that are still there, as far as the change log tells.
    var held: Int {
        state.withLock { state in
            state.invalidatedAll ? 0 : state.writtenCount - state.invalidated.count - state.superseded.count
        }
    }

    var invalidatedCount: Int {
        state.withLock { state in state.invalidatedAll ? state.writtenCount - state.superseded.count : state.invalidated.count }
    }

    /// A copy of the pass's counts and sets.
    var snapshot: State { state.withLock { $0 } }
}
