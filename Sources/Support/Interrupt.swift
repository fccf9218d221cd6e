import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C as a request, not a kill: long operations (SCAN walks, warming, seeding)
/// check `Interrupt.check()` between batches, stop cleanly, report what they did and
/// exit 130. A second Ctrl-C while the first is pending ends the process at once.
public enum Interrupt {
    private static let requested = Atomic<Bool>(false)
    private static let installed = Atomic<Bool>(false)

    /// Installs the SIGINT handler (idempotent).
    public static func install() {
        guard installed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        signal(SIGINT) { _ in
            // Only async-signal-safe work here: an atomic exchange and _exit.
            if Interrupt.requested.exchange(true, ordering: .relaxed) {
                _exit(130)
            }
        }
    }

    /// Whether Ctrl-C was pressed since the last `reset()` (within a `scope`: whether the
    /// scope's own interrupt was requested).
    public static var isRequested: Bool {
        if let scope { return scope.isRequested }
        return requested.load(ordering: .relaxed)
    }

    /// An interrupt of its own for the work of one task, in place of the process's: tests
    /// that request interrupts run in one, so they never stop a walk another test runs at
    /// the same time. (`request()` and `reset()` stay on the process's flag: the REPL calls
    /// them from its signal handler.)
    @TaskLocal public static var scope: Scope?

    public final class Scope: Sendable {
        private let requested = Atomic<Bool>(false)
        public init() {}
        public var isRequested: Bool { requested.load(ordering: .relaxed) }
        public func request() { requested.store(true, ordering: .relaxed) }
        public func reset() { requested.store(false, ordering: .relaxed) }
    }

    /// Forget a handled Ctrl-C (the REPL does this before each command).
    public static func reset() { requested.store(false, ordering: .relaxed) }

    /// Marks an interrupt as requested, as Ctrl-C would (for tests and the REPL).
    public static func request() { requested.store(true, ordering: .relaxed) }

    /// Throws `WWError.interrupted` when Ctrl-C was pressed.
    public static func check() throws(WWError) {
        if isRequested { throw WWError.interrupted }
    }
}
