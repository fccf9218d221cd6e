import Glibc

/// The sole owner of one connected socket's descriptor; deinit closes it.
///
/// The socket is non-blocking from the start: connecting, reading and writing wait in
/// `poll(2)` for what is left of their round trip's `Deadline`, so no step can outlast it.
/// A signal (Ctrl-C) wakes `poll` with EINTR; the wait resumes with the time left, and the
/// command stops between round trips, where `Interrupt` is checked.
final class SocketDescriptor {
    let fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }

    static func connect(to endpoint: RedisURL.Endpoint, deadline: Deadline) throws(TransportFailure) -> SocketDescriptor {
        switch endpoint {
        case .tcp(let host, let port): try connectTCP(host: host, port: port, deadline: deadline)
        case .unix(let path): try connectUnix(path: path, deadline: deadline)
        }
    }

    /// Tries each address the name resolves to, in the resolver's order, within one deadline.
    private static func connectTCP(host: String, port: Int, deadline: Deadline) throws(TransportFailure) -> SocketDescriptor {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let text = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw .unresolved(text)
        }
        defer { freeaddrinfo(list) }
        var failure = TransportFailure.refused
        var next = list
        while let address = next {
            next = address.pointee.ai_next
            let fd = socket(
                address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                address.pointee.ai_protocol)
            guard fd >= 0 else {
                failure = .cannotConnect(String(cString: strerror(errno)))
                continue
            }
            let socket = SocketDescriptor(fd: fd)
            if let problem = socket.complete(Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen), deadline: deadline) {
                if case .timedOut = problem { throw problem }
                failure = problem
                continue
            }
            var on: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
            return socket
        }
        throw failure
    }

    private static func connectUnix(path: String, deadline: Deadline) throws(TransportFailure) -> SocketDescriptor {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw .cannotConnect("socket path longer than \(capacity - 1) bytes") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .cannotConnect(String(cString: strerror(errno))) }
        let socket = SocketDescriptor(fd: fd)
        while true {
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            // A unix socket whose accept queue is full answers EAGAIN at once instead of
            // waiting: try again until the deadline.
            if result != 0 && errno == EAGAIN {
                guard !deadline.hasPassed else { throw .timedOut(.connecting) }
                usleep(10_000)
                continue
            }
            if let problem = socket.complete(result, deadline: deadline) { throw problem }
            return socket
        }
    }

    /// Finishes a non-blocking `connect` that returned `result`: waits for it within the
    /// deadline and reads its outcome. Nil when connected.
    private func complete(_ result: Int32, deadline: Deadline) -> TransportFailure? {
        var code: Int32 = 0
        if result != 0 {
            code = errno
            if code == EINPROGRESS || code == EINTR {
                guard wait(for: Int16(POLLOUT), until: deadline) else { return .timedOut(.connecting) }
                var length = socklen_t(MemoryLayout<Int32>.size)
                if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
            }
        }
        switch code {
        case 0: return nil
        case ECONNREFUSED: return .refused
        case ENOENT: return .noSuchSocket
        case ETIMEDOUT: return .timedOut(.connecting)
        default: return .cannotConnect(String(cString: strerror(code)))
        }
    }

    /// Waits until `events` (POLLIN, POLLOUT) is ready or the deadline passes; false on
    /// timeout, or on Ctrl-C under an interruptible deadline (`deadline.wasInterrupted`
    /// tells which). An error or hang-up on the socket counts as ready: the next call
    /// reports it.
    func wait(for events: Int16, until deadline: Deadline) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let milliseconds = deadline.pollSliceMilliseconds
            guard milliseconds > 0, !deadline.wasInterrupted else { return false }
            descriptor.revents = 0
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }

    /// Whether bytes (or an end of stream) are waiting to be read, without waiting.
    var isReadable: Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    // MARK: plain reads and writes

    /// Writes all of `bytes` before the deadline. MSG_NOSIGNAL: a closed peer is an EPIPE
    /// error, never a SIGPIPE that would end the process.
    func writeAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(TransportFailure) {
        var written = 0
        while written < bytes.count {
            guard !deadline.hasPassed else { throw .timedOut(.writing) }
            let result = send(fd, bytes.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL))
            if result > 0 {
                written += result
                continue
            }
            let code = errno
            if result < 0 && code == EINTR { continue }
            if result < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                guard wait(for: Int16(POLLOUT), until: deadline) else { throw .timedOut(.writing) }
                continue
            }
            throw .system(String(cString: strerror(code)))
        }
    }

    /// Reads what has arrived into `buffer`, waiting for at least one byte until the
    /// deadline. Past the deadline it reads nothing, even from a server that keeps sending.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(TransportFailure) -> Int {
        while true {
            guard !deadline.hasPassed else { throw .timedOut(.reading) }
            let result = recv(fd, buffer.baseAddress!, buffer.count, 0)
            if result > 0 { return result }
            if result == 0 { throw .closedByServer }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                guard wait(for: Int16(POLLIN), until: deadline) else { throw .timedOut(.reading) }
                continue
            }
            throw .system(String(cString: strerror(code)))
        }
    }
}
