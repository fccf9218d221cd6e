import Glibc
import WWCtl

// The command's status, then `_exit` rather than `exit`. `exit` runs the static destructors
// of the Swift runtime and libdispatch while the threads of the cooperative pool (started by
// the commands that await, such as `ping` and `health`) are still alive: one of them waking
// up and taking a lock a destructor had already torn down made a finished command die of
// SIGSEGV (exit 139 after a complete output) about once in 6,000 runs. Nothing needs those
// handlers: output goes out with write(2) as it is produced (StandardStreams; stdio is
// flushed here for anything else), and the command's connections are closed by `run`.
let status = WWCtlMain.run()
fflush(nil)
_exit(status)
