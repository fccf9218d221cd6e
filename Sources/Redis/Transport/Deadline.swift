import Glibc

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

    init(after seconds: Double) {
        self.seconds = seconds
        end = Self.now() &+ UInt64(max(0, seconds) * 1e9)
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
