import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C as a request, not a kill: long operations (SCAN walks, warming, seeding)
/// check `Interrupt.check()` between batches, stop cleanly, report what they did and
/// exit 130. SIGTERM (a supervisor stopping a cron job) and SIGHUP (the terminal gone)
/// are the same request, ending in 143 and 129: a killed invalidation must still say how
/// many keys it deleted. A second signal while the first is pending ends the process at
/// once.
public enum Interrupt {
    private static let requested = Atomic<Bool>(false)
    private static let installed = Atomic<Bool>(false)
    /// The signal that asked (SIGINT when requested by hand), 0 when none did.
    private static let received = Atomic<Int32>(0)

    /// The signals that ask a command to stop.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers of SIGINT, SIGTERM and SIGHUP (idempotent).
    public static func install() {
        guard installed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        for number in signals { signal(number, handler) }
    }

    /// The handler `install` puts on SIGTERM and SIGHUP, for whoever replaced it for a while
    /// (the REPL leaves them to their default action while it waits at the prompt).
    public static func handleTermination() {
        signal(SIGTERM, handler)
        signal(SIGHUP, handler)
    }

    private static let handler: @convention(c) (Int32) -> Void = { number in
        // Only async-signal-safe work here: atomic stores and exchanges, and _exit.
        if Interrupt.requested.exchange(true, ordering: .relaxed) {
            _exit(128 + number)
        }
        Interrupt.received.store(number, ordering: .relaxed)
    }

    /// The exit status of an interrupted command: 128 + the signal (130 for Ctrl-C, 143
    /// for SIGTERM, 129 for SIGHUP), 130 when nothing but a request asked.
    public static var exitStatus: Int32 {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? 128 + SIGINT : 128 + number
    }

    /// Whether the pending request is the end of the session (SIGTERM, SIGHUP) rather than Ctrl-C.
    public static var isTermination: Bool {
        let number = received.load(ordering: .relaxed)
        return number == SIGTERM || number == SIGHUP
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
    public static func reset() {
        requested.store(false, ordering: .relaxed)
        received.store(0, ordering: .relaxed)
    }

    /// Marks an interrupt as requested, as Ctrl-C would (for tests and the REPL).
    public static func request() { requested.store(true, ordering: .relaxed) }

    /// Throws `WWError.interrupted` when Ctrl-C was pressed.
    public static func check() throws(WWError) {
        if isRequested { throw WWError.interrupted }
    }
}
