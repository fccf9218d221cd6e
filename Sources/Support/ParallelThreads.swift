#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking work on several threads at once and waits for all of it: one thread per
/// cluster primary, each with its own connection, so three nodes are walked in the time
/// of one instead of one after another.
public enum ParallelThreads {
    /// `body(0)`…`body(count - 1)`, each on a thread of its own (the first on the caller's),
    /// and their results in order once every one has returned. `body` must not share
    /// mutable state between indices.
    public static func map<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let results = Results<T>(count: count)
        var threads: [pthread_t] = []
        for index in 1..<count {
            let job = Job { results.store(body(index), at: index) }
            if let thread = job.start() { threads.append(thread) } else { job.run() }
        }
        results.store(body(0), at: 0)
        for thread in threads { pthread_join(thread, nil) }
        return results.values
    }

    /// The results, one slot per index: each thread writes only its own, and the caller
    /// reads them after joining every thread.
    private final class Results<T>: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<T?>

        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func store(_ value: T, at index: Int) { slots[index] = value }

        var values: [T] { slots.map { $0! } }
    }

    private final class Job: @unchecked Sendable {
        let run: () -> Void

        init(_ run: @escaping () -> Void) { self.run = run }

        /// Runs on a new joinable thread; nil when none could be had (a resource limit).
        func start() -> pthread_t? {
            let context = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, context)
            guard status == 0 else {
                Unmanaged<Job>.fromOpaque(context).release()
                return nil
            }
            return thread
        }
    }
}
