import Glibc
import Support

/// Waiting that Ctrl-C cuts short: sleeps in 50 ms steps and looks at
/// `Interrupt.isRequested` between them, so `--watch` and health's sampling window
/// stop within a twentieth of a second.
public enum Pause {
    /// Sleeps `seconds`; false when interrupted before the end.
    @discardableResult
    public static func sleep(_ seconds: Double) -> Bool {
        sleep(until: Monotonic.now() + max(0, seconds))
    }

    /// Sleeps until the monotonic time `deadline` (see `Monotonic.now()`); false when
    /// interrupted first.
    @discardableResult
    public static func sleep(until deadline: Double) -> Bool {
        while true {
            if Interrupt.isRequested { return false }
            let left = deadline - Monotonic.now()
            if left <= 0 { return true }
            let step = min(left, 0.05)
            var request = timespec(tv_sec: Int(step), tv_nsec: Int((step - step.rounded(.down)) * 1e9))
            var remaining = timespec()
            // EINTR (the SIGINT handler ran) just ends this step early.
            _ = nanosleep(&request, &remaining)
        }
    }
}
