import Glibc
import Support

/// The moment a server round trip gives up, on the monotonic clock.
///
/// `--timeout` bounds each round trip as a whole, not each system call: connecting (TCP,
/// the TLS handshake, AUTH and SELECT) shares one deadline, and so does a command or a
/// pipelined batch from its first byte written to the last byte of its last reply. A
/// server trickling one byte every half second cannot stretch a read past it, as a
/// per-read socket timeout (SO_RCVTIMEO restarts with every byte) would let it.
struct Deadline {
    /// CLOCK_MONOTONIC, in nanoseconds.
    private let end: UInt64
    /// The budget it was made with, for messages.
    let seconds: Double
    /// Ctrl-C (`Interrupt`) ends the wait too: a command an operator typed, which may block
    /// for as long as the server likes (`BLPOP x 0`), is abandoned at once, not at the
    /// deadline. Walks and pipelines never are: they stop between round trips, in step.
    let interruptible: Bool

    init(after seconds: Double, interruptible: Bool = false) {
        self.seconds = seconds
        self.interruptible = interruptible
        end = Self.now() &+ UInt64(max(0, seconds) * 1e9)
    }

    /// Whether a wait under this deadline gave up for Ctrl-C rather than for time.
    var wasInterrupted: Bool { interruptible && Interrupt.isRequested }

    /// How long one poll(2) may wait: what is left, or for an interruptible deadline at
    /// most a slice, so that Ctrl-C is noticed within it (the REPL's handler only sets a flag).
    var pollSliceMilliseconds: Int32 {
        interruptible ? min(pollMilliseconds, 50) : pollMilliseconds
    }

    var hasPassed: Bool { Self.now() >= end }

    /// What is left for poll(2), in whole milliseconds rounded up; 0 once passed.
    var pollMilliseconds: Int32 {
        let now = Self.now()
        guard now < end else { return 0 }
        return Int32(clamping: (end - now + 999_999) / 1_000_000)
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
