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
public final class RedisTestServer: @unchecked Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    /// The temporary directory holding the socket, the log and any dump file.
    public let directory: URL

    private let lock = NSLock()
    private var process: Process?

    public init(port: Int, arguments: [String] = [], startTimeout: TimeInterval = 10) throws {
        self.port = port
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wwctl-redis-\(port)-\(UUID().uuidString.prefix(8))")
        if Self.acceptsConnections(port: port) {
            throw StartError(description: "redis test server: port \(port) is already in use (a leftover redis-server?)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server",
            "--port", String(port), "--bind", "127.0.0.1",
            "--unixsocket", socketPath, "--unixsocketperm", "700",
            "--dir", directory.path, "--logfile", logPath,
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process

        let deadline = Date().addingTimeInterval(startTimeout)
        while !Self.answersPing(port: port) {
            if !process.isRunning {
                let status = process.terminationStatus
                self.process = nil
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

    /// The server's log so far, for failure messages.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return process?.isRunning ?? false
    }

    /// Kills the server (SIGKILL: nothing of it needs to survive) and removes its directory.
    public func stop() {
        lock.lock()
        let running = process
        process = nil
        lock.unlock()
        guard let running else { return }
        if running.isRunning {
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
        }
        removeDirectory()
    }

    private func removeDirectory() {
        try? FileManager.default.removeItem(at: directory)
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
