import Keyspace
import Redis
import Support
import Synchronization

/// A warm's view of the change log, shared by its reader and writers: how far it has read
/// the log, every record read since the warm started, and for each running pass the keys
/// those records forbid it to write (the records after the pass's snapshot that touch its
/// family).
///
/// The writers guarded by the log send each batch with the position they filtered it
/// against; when the server answers that the log moved, they `catchUp` and filter again.
final class WarmChangeView: Sendable {
    /// What a pass may not write: records after its base touching its family.
    struct PassFilter {
        let family: String
        let base: ChangeLogPosition
        var keys: Set<[UInt8]> = []
        var hashes: Set<UInt64> = []
        var selectors: [KeySelector] = []
        var all = false

        var isEmpty: Bool { hashes.isEmpty && selectors.isEmpty && !all }

        /// Whether the key (with its hash) must not be written.
        func refuses(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
            if all { return true }
            if hashes.contains(hash), keys.contains(Array(key)) { return true }
            if !selectors.isEmpty {
                let bytes = Array(key)
                return selectors.contains { $0.matches(bytes) }
            }
            return false
        }

        mutating func apply(_ number: Int, _ record: ChangeRecord, in keyspace: BoundKeyspace) {
            guard base.text.isEmpty || number > base.count else { return }
            for touch in record.touches where touch.family == family {
                switch touch.touch {
                case .keys(let keys):
                    for key in keys {
                        self.keys.insert(key)
                        hashes.insert(KeyHash.of(key))
                    }
                case .selector(let params):
                    if let family = keyspace.registry.family(named: family),
                       let selector = try? keyspace.selector(family, params: Dictionary(params.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
                    {
                        selectors.append(selector)
                    } else {
                        all = true
                    }
                case .all:
                    all = true
                case .swept:
                    break  // its selector already refuses these keys
                }
            }
        }
    }

    private struct State {
        var position: ChangeLogPosition
        /// Every record read since the warm started, in order.
        var records: [(number: Int, record: ChangeRecord)] = []
        /// Records the log no longer held when the view needed them: what they touched
        /// cannot be known, so every family is treated as touched as a whole.
        var lost = false
        /// How many of `records` the run's bookkeeping has taken.
        var taken = 0
        var filters: [Int: PassFilter] = [:]
    }

    let keyspace: BoundKeyspace
    private let state: Mutex<State>

    init(keyspace: BoundKeyspace, position: ChangeLogPosition) {
        self.keyspace = keyspace
        state = Mutex(State(position: position))
    }

    var position: ChangeLogPosition { state.withLock { $0.position } }

    /// The records read since the last call, and whether some could not be read (the log
    /// dropped them, or was deleted and started again) since then.
    func takeNewRecords() -> (lost: Bool, records: [(number: Int, record: ChangeRecord)]) {
        state.withLock { state in
            defer {
                state.lost = false
                state.taken = state.records.count
            }
            return (state.lost, Array(state.records[state.taken...]))
        }
    }

    /// Starts filtering for `pass`: the records already read after its base apply at once.
    func register(_ pass: WarmPass) {
        state.withLock { state in
            var filter = PassFilter(family: pass.family, base: pass.base)
            // A base from another log than the view's (deleted and created again in
            // between): nothing after it can be read.
            if !pass.base.isContinued(by: state.position) && !state.position.isContinued(by: pass.base) {
                filter.all = true
            }
            for (number, record) in state.records { filter.apply(number, record, in: keyspace) }
            state.filters[pass.index] = filter
        }
    }

    func unregister(_ pass: WarmPass) {
        _ = state.withLock { $0.filters.removeValue(forKey: pass.index) }
    }

    /// Calls `body` with the position and the pass's filter, as one consistent view.
    func withFilter<T>(for pass: WarmPass, _ body: (ChangeLogPosition, PassFilter?) throws -> T) rethrows -> T {
        try state.withLock { state in try body(state.position, state.filters[pass.index]) }
    }

    /// Reads the log from the view's position to the log's current one with `redis`, and
    /// applies the new records to every pass. Does nothing if the log has not moved.
    /// Returns whether the position changed.
    @discardableResult
    func catchUp(_ redis: RedisConnection) throws -> Bool {
        let log = ChangeLog(redis: redis, keyspace: keyspace)
        // One reader at a time; the others wait for it and then find the view current.
        return try state.withLock { state in
            let now = try log.position()
            guard now != state.position else { return false }
            if let records = try log.records(after: state.position, through: now) {
                for (number, record) in records {
                    state.records.append((number, record))
                    for index in state.filters.keys { state.filters[index]!.apply(number, record, in: keyspace) }
                }
            } else {
                state.lost = true
                state.records = []
                state.taken = 0
                for index in state.filters.keys { state.filters[index]!.all = true }
            }
            state.position = now
            return true
        }
    }
}
