import Glibc
import Support

/// What the PostgreSQL reader hands the Redis writer.
enum WarmItem: @unchecked Sendable {
    /// Keys to write (one EVALSHA).
    case batch(WarmBatch)
    /// The reader is done with a pass: it produced `keys` keys of `bytes` bytes (keys and
    /// values) in `batches` batches, all queued before this item (fewer than the family has
    /// when it stopped early because a change had invalidated the whole family).
    case passDone(WarmPass, keys: Int, bytes: Int, batches: Int)
}

extension WarmItem {
    /// Bytes the item holds (keys and values).
    var byteCount: Int {
        if case .batch(let batch) = self { return batch.byteCount }
        return 0
    }
}

/// A bounded blocking queue between the reader and the writers: the reader blocks when it
/// holds `capacity` items or `byteLimit` bytes (one item is always let in, however large:
/// a single value may exceed the limit), the writers when it is empty. So nobody runs
/// ahead by more than that and memory stays flat whatever the key count. Any side can
/// fail it; the others' next call then throws that error.
final class WarmQueue: @unchecked Sendable {
    private let capacity: Int
    private let byteLimit: Int
    private var bytes = 0
    private var items: [WarmItem] = []
    private var closed = false
    private var failure: (any Error)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let notEmpty: UnsafeMutablePointer<pthread_cond_t>
    private let notFull: UnsafeMutablePointer<pthread_cond_t>

    init(capacity: Int, byteLimit: Int) {
        self.capacity = max(1, capacity)
        self.byteLimit = max(1, byteLimit)
        mutex = .allocate(capacity: 1)
        notEmpty = .allocate(capacity: 1)
        notFull = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(notEmpty, nil)
        pthread_cond_init(notFull, nil)
    }

    deinit {
        pthread_cond_destroy(notFull)
        pthread_cond_destroy(notEmpty)
        pthread_mutex_destroy(mutex)
        notFull.deallocate()
        notEmpty.deallocate()
        mutex.deallocate()
    }

    private var count: Int { items.count }

    /// Adds an item, waiting while the queue is full. Throws the failure the other side
    /// reported, if any.
    func push(_ item: WarmItem) throws {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let size = item.byteCount
        while count > 0 && (count >= capacity || bytes + size > byteLimit) && failure == nil {
            pthread_cond_wait(notFull, mutex)
        }
        if let failure { throw failure }
        items.append(item)
        bytes += size
        pthread_cond_signal(notEmpty)
    }

    /// Takes at least one and at most `limit` items holding at most `byteLimit` bytes
    /// (or one item, however large), waiting for the first. Returns an empty array once
    /// the queue is closed and drained; throws a reported failure.
    func pop(upTo limit: Int, byteLimit: Int) throws -> [WarmItem] {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 && !closed && failure == nil {
            pthread_cond_wait(notEmpty, mutex)
        }
        if let failure { throw failure }
        var takenBytes = 0
        var taken = 0
        while taken < items.count, taken < limit {
            let size = items[taken].byteCount
            if taken > 0 && takenBytes + size > byteLimit { break }
            takenBytes += size
            taken += 1
        }
        // Removed, not just passed over: a batch must not outlive its writing.
        let out = Array(items[..<taken])
        items.removeFirst(taken)
        bytes -= takenBytes
        pthread_cond_broadcast(notFull)
        return out
    }

    /// No more items will come.
    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(notEmpty)
        pthread_mutex_unlock(mutex)
    }

    /// Stops both sides: every later (and every waiting) push or pop throws `error`.
    /// The first failure reported wins.
    func fail(_ error: any Error) {
        pthread_mutex_lock(mutex)
        if failure == nil { failure = error }
        items.removeAll()
        bytes = 0
        pthread_cond_broadcast(notEmpty)
        pthread_cond_broadcast(notFull)
        pthread_mutex_unlock(mutex)
    }
}

/// A one-shot result handed from a worker thread to the thread waiting for it.
final class WarmCompletion<Value: Sendable>: @unchecked Sendable {
    private var result: Result<Value, any Error>?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let done: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        done = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(done, nil)
    }

    deinit {
        pthread_cond_destroy(done)
        pthread_mutex_destroy(mutex)
        done.deallocate()
        mutex.deallocate()
    }

    func finish(_ result: Result<Value, any Error>) {
        pthread_mutex_lock(mutex)
        if self.result == nil { self.result = result }
        pthread_cond_broadcast(done)
        pthread_mutex_unlock(mutex)
    }

    /// Waits for the result.
    func wait() throws -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while result == nil { pthread_cond_wait(done, mutex) }
        return try result!.get()
    }

    /// Waits at most `seconds`; true when the result is in.
    func wait(seconds: Double) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let whole = Int(seconds)
        deadline.tv_sec += whole
        deadline.tv_nsec += Int((seconds - Double(whole)) * 1_000_000_000)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while result == nil {
            if pthread_cond_timedwait(done, mutex, &deadline) == ETIMEDOUT { break }
        }
        return result != nil
    }
}
