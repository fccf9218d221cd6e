import Glibc

/// A bounded first-in, first-out queue between one producer thread and one consumer
/// thread: `put` waits while it is full, `take` while it is empty. `close()` (from
/// either side) wakes both: `put` then drops its item and returns false, `take`
/// drains what is left and then returns nil.
final class HandoffQueue<Element>: @unchecked Sendable {
    private let capacity: Int
    /// At most `capacity` items, so removing from the front is cheap.
    private var items: [Element] = []
    private var closed = false
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        changed = .allocate(capacity: 1)
        changed.initialize(to: pthread_cond_t())
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Adds `item`, waiting for room; false when the queue was closed.
    @discardableResult
    func put(_ item: Element) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !closed && items.count >= capacity { pthread_cond_wait(changed, mutex) }
        guard !closed else { return false }
        items.append(item)
        pthread_cond_broadcast(changed)
        return true
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    func take() -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !closed && items.isEmpty { pthread_cond_wait(changed, mutex) }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        pthread_cond_broadcast(changed)
        return item
    }

    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}

/// A one-shot signal: `wait()` returns once `signal()` has been called (before or after).
final class Latch: @unchecked Sendable {
    private var signalled = false
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        changed = .allocate(capacity: 1)
        changed.initialize(to: pthread_cond_t())
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    func signal() {
        pthread_mutex_lock(mutex)
        signalled = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while !signalled { pthread_cond_wait(changed, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
