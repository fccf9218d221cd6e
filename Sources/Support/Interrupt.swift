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

    /// Whether Ctrl-C was pressed since the last `reset()`.
    public static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Forget a handled Ctrl-C (the REPL does this before each command).
    public static func reset() { requested.store(false, ordering: .relaxed) }

    /// Marks an interrupt as requested, as Ctrl-C would (for tests and the REPL).
    public static func request() { requested.store(true, ordering: .relaxed) }

    /// Throws `WWError.interrupted` when Ctrl-C was pressed.
    public static func check() throws(WWError) {
        if isRequested { throw WWError.interrupted }
    }
}
