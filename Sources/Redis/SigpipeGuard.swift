import Glibc

/// hiredis writes with `write(2)`, so a server that has closed the connection would kill
/// the whole process with SIGPIPE. A library must not change the process-wide signal
/// disposition, so (as libpq does) SIGPIPE is blocked on this thread for the duration of
/// the write, and one raised by it is consumed before unblocking; the write itself then
/// fails with EPIPE and hiredis reports an I/O error.
enum SigpipeGuard {
    static func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        var sigpipe = sigset_t()
        sigemptyset(&sigpipe)
        sigaddset(&sigpipe, SIGPIPE)
        var previous = sigset_t()
        guard pthread_sigmask(SIG_BLOCK, &sigpipe, &previous) == 0 else { return try body() }
        if sigismember(&previous, SIGPIPE) == 1 {
            // Already blocked by the caller: whatever is pending is theirs.
            return try body()
        }
        var pending = sigset_t()
        sigpending(&pending)
        let alreadyPending = sigismember(&pending, SIGPIPE) == 1
        defer {
            if !alreadyPending {
                sigpending(&pending)
                if sigismember(&pending, SIGPIPE) == 1 {
                    var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                    _ = sigtimedwait(&sigpipe, nil, &noWait)
                }
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return try body()
    }
}
