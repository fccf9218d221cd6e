import Foundation

/// A `redis-server` of a test's own, for tests that change server-wide state
/// (`requirepass`, ACL users, `maxmemory`, statistics) or must not share the test server.
///
/// It listens on 127.0.0.1:`port` and on a unix socket in a fresh temporary directory
/// (its `--dir`, also holding `redis.log`), saves nothing, and is killed by `stop()` or
/// when the value is deinitialised. `arguments` are appended to the command line
/// (`["--requirepass", "secret"]`). Each area of tests owns a port range (see
/// CONTRIBUTING.md); two servers on one port fail with a clear error instead of one test
/// silently talking to the other's server.
///
/// Even if the test process dies without running `stop()` (a crash, SIGKILL), the
/// server goes with it: see `watchdog`.
public final class RedisTestServer: @unchecked Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    /// The temporary directory holding the socket, the log and any dump file.
    public let directory: URL

    private let lock = NSLock()
    /// The watchdog shell; 0 once reaped.
    private var shell: pid_t = 0
    /// Our end of the lifeline, -1 once closed.
    private var lifeline: Int32 = -1

    /// redis-server runs under a shell whose stdin is one end of a socket pair; only this
    /// process holds the other end (close-on-exec, so no other child inherits it). When this
    /// process ends, however abruptly, the shell reads EOF, kills the server and removes
    /// its directory (the first argument).
    private static let watchdog = """
        directory=$1
        shift
        exec 3<&0 </dev/null
        redis-server "$@" 3<&- &
        server=$!
        { read -r _ <&3; kill -9 "$server"; } 2>/dev/null &
        watcher=$!
        exec 3<&-
        wait "$server"
        status=$?
        kill -9 "$watcher" 2>/dev/null
        rm -rf "$directory"
        exit "$status"
        """

    public init(port: Int, arguments: [String] = [], startTimeout: TimeInterval = 10) throws {
        self.port = port
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wwctl-redis-\(port)-\(UUID().uuidString.prefix(8))")
        if Self.acceptsConnections(port: port) {
            throw StartError(description: "redis test server: port \(port) is already in use (a leftover redis-server?)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let serverArguments = [
            "--port", String(port), "--bind", "127.0.0.1",
            "--unixsocket", socketPath, "--unixsocketperm", "700",
            "--dir", directory.path, "--logfile", logPath, "--pidfile", pidPath,
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ] + arguments
        do {
            (shell, lifeline) = try Self.spawn(["/bin/sh", "-c", Self.watchdog, "redis-test-server", directory.path] + serverArguments)
        } catch {
            removeDirectory()
            throw error
        }

        let deadline = Date().addingTimeInterval(startTimeout)
        while !Self.answersPing(port: port) {
            if let status = reapIfExited() {
                let log = self.log.split(separator: "\n").suffix(3).joined(separator: " | ")
                removeDirectory()
                throw StartError(description: "redis test server on port \(port) exited with status \(status): \(log)")
            }
            if Date() > deadline {
                stop()
                throw StartError(description: "redis test server on port \(port) did not answer within \(startTimeout) s")
            }
            usleep(20_000)
        }
    }

    deinit { stop() }

    /// `redis://127.0.0.1:<port>/<database>` without credentials.
    public func url(database: Int = 0) -> String { "redis://127.0.0.1:\(port)/\(database)" }

    /// `unix://<socket>?db=<database>` without credentials.
    public func unixURL(database: Int = 0) -> String { "unix://\(socketPath)?db=\(database)" }

    public var socketPath: String { directory.appendingPathComponent("redis.sock").path }
    public var logPath: String { directory.appendingPathComponent("redis.log").path }
    private var pidPath: String { directory.appendingPathComponent("redis.pid").path }

    /// The server's log so far, for failure messages.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public var isRunning: Bool { reapIfExited() == nil && shellPid != 0 }

    /// Kills the server (SIGKILL: nothing of it needs to survive), waits for it and
    /// removes its directory.
    public func stop() {
        lock.lock()
        let pid = shell
        let pipe = lifeline
        shell = 0
        lifeline = -1
        lock.unlock()
        guard pid != 0 else { return }
        if let text = try? String(contentsOfFile: pidPath, encoding: .utf8),
           let serverPid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), serverPid > 0 {
            kill(serverPid, SIGKILL)
        }
        // EOF on the lifeline makes the shell kill the server even if the pid file was not written yet.
        close(pipe)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        removeDirectory()
    }

    private var shellPid: pid_t {
        lock.lock()
        defer { lock.unlock() }
        return shell
    }

    /// The shell's exit status if it has exited (and is now reaped), else nil.
    private func reapIfExited() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        guard shell != 0 else { return nil }
        var status: Int32 = 0
        guard waitpid(shell, &status, WNOHANG) == shell else { return nil }
        shell = 0
        close(lifeline)
        lifeline = -1
        return (status >> 8) & 0xFF
    }

    private func removeDirectory() {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: spawning

    /// Starts `argv` with a clean signal mask and default dispositions (test-runner threads
    /// block signals, and a child inherits that), stdin the read end of a new pipe, stdout
    /// and stderr /dev/null. Returns the pid and the other end.
    private static func spawn(_ argv: [String]) throws -> (pid_t, Int32) {
        // A socket pair rather than a pipe: it can be created close-on-exec atomically.
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw StartError(description: "socketpair failed: \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        close(ends[0])
        guard result == 0 else {
            close(ends[1])
            throw StartError(description: "could not start \(argv[0]): error \(result)")
        }
        return (pid, ends[1])
    }

    // MARK: probing the port with plain sockets (TestSupport depends on no module)

    private static func connectedSocket(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private static func acceptsConnections(port: Int) -> Bool {
        guard let fd = connectedSocket(port: port) else { return false }
        close(fd)
        return true
    }

    /// Any RESP answer counts: `-NOAUTH` means a server with `requirepass` is up.
    private static func answersPing(port: Int) -> Bool {
        guard let fd = connectedSocket(port: port) else { return false }
        defer { close(fd) }
        let ping = Array("PING\r\n".utf8)
        guard send(fd, ping, ping.count, Int32(MSG_NOSIGNAL)) == ping.count else { return false }
        var first: UInt8 = 0
        guard recv(fd, &first, 1, 0) == 1 else { return false }
        return first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
    }
}
