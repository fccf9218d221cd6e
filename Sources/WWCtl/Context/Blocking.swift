import Glibc

/// Waits for async work from a thread that may block (never from the cooperative pool).
enum Blocking {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let slot = BlockingSlot<T>()
        Task.detached {
            slot.value = await body()
            sem_post(slot.semaphore)
        }
        while sem_wait(slot.semaphore) != 0 && errno == EINTR {}
        return slot.value!
    }
}

private final class BlockingSlot<T>: @unchecked Sendable {
    var value: T?
    let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init() { sem_init(semaphore, 0, 0) }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }
}

/// Carries a value the compiler cannot prove Sendable across the one hand-off from the
/// main thread to the task that runs an async command (and its result back).
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
