import Glibc
import Support

/// What the PostgreSQL reader hands the Redis writer.
enum WarmItem: @unchecked Sendable {
    /// Keys to write (one EVALSHA).
    case batch(WarmBatch)
    /// The reader is done with family `index`: it produced `keys` keys (`bytes` bytes) in
    /// `batches` batches, all queued before this item; `abandoned` when it stopped early
    /// because a concurrent change had already invalidated the family.
    case familyDone(index: Int, keys: Int, bytes: Int, batches: Int, abandoned: Bool)
}

/// A bounded blocking queue between two threads: the reader blocks when it is full, the
/// writer when it is empty, so neither runs ahead of the other by more than `capacity`
/// items and memory stays flat whatever the key count. Either side can fail it; the
/// other side's next call then throws that error.
final class WarmQueue: @unchecked Sendable {
    private let capacity: Int
    private var items: [WarmItem] = []
    private var head = 0
    private var closed = false
    private var failure: (any Error)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let notEmpty: UnsafeMutablePointer<pthread_cond_t>
    private let notFull: UnsafeMutablePointer<pthread_cond_t>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
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

    private var count: Int { items.count - head }

    /// Adds an item, waiting while the queue is full. Throws the failure the other side
    /// reported, if any.
    func push(_ item: WarmItem) throws {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count >= capacity && failure == nil {
            pthread_cond_wait(notFull, mutex)
        }
        if let failure { throw failure }
        items.append(item)
        pthread_cond_signal(notEmpty)
    }

    /// Takes at least one and at most `limit` items, waiting for the first. Returns an
    /// empty array once the queue is closed and drained; throws a reported failure.
    func pop(upTo limit: Int) throws -> [WarmItem] {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 && !closed && failure == nil {
            pthread_cond_wait(notEmpty, mutex)
        }
        if let failure { throw failure }
        let taken = Array(items[head..<(head + min(limit, count))])
        head += taken.count
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        pthread_cond_broadcast(notFull)
        return taken
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
        head = 0
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
