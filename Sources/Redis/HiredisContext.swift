import CHiredis
import Glibc

/// What hiredis recorded when a context failed: its `err` code and `errstr` text.
struct HiredisFailure: Error {
    let code: Int32
    let text: String

    static let outOfMemory = HiredisFailure(code: REDIS_ERR_OOM, text: "out of memory")

    func isErrno(_ number: Int32) -> Bool {
        code == REDIS_ERR_IO && text == String(cString: strerror(number))
    }

    /// A socket timeout: poll gave up while connecting (ETIMEDOUT), or SO_RCVTIMEO /
    /// SO_SNDTIMEO expired on a blocking read or write (EAGAIN).
    var isTimeout: Bool {
        isErrno(ETIMEDOUT) || isErrno(EAGAIN) || isErrno(EWOULDBLOCK) || isErrno(EINPROGRESS)
    }
}

/// The sole owner of one blocking `redisContext`: deinit frees it with `redisFree`. Once
/// hiredis flags an error on it (`err != 0`) the context is dead and its owner drops it.
final class HiredisContext {
    let raw: UnsafeMutablePointer<redisContext>

    private init(taking raw: UnsafeMutablePointer<redisContext>) {
        self.raw = raw
    }

    deinit { redisFree(raw) }

    static func connect(to endpoint: RedisURL.Endpoint, timeout: timeval) -> Result<HiredisContext, HiredisFailure> {
        let pointer: UnsafeMutablePointer<redisContext>?
        switch endpoint {
        case .tcp(let host, let port):
            pointer = redisConnectWithTimeout(host, Int32(port), timeout)
        case .unix(let path):
            pointer = redisConnectUnixWithTimeout(path, timeout)
        }
        guard let pointer else { return .failure(.outOfMemory) }
        let context = HiredisContext(taking: pointer)
        if let failure = context.failure { return .failure(failure) }
        return .success(context)
    }

    /// The recorded failure, or nil while the context is healthy.
    var failure: HiredisFailure? {
        guard raw.pointee.err != 0 else { return nil }
        var text = raw.pointee.errstr
        let message = withUnsafeBytes(of: &text) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return HiredisFailure(code: raw.pointee.err, text: message)
    }

    /// Sets SO_RCVTIMEO and SO_SNDTIMEO, which bound every later read and write.
    func setTimeout(_ timeout: timeval) -> HiredisFailure? {
        redisSetTimeout(raw, timeout) == REDIS_OK ? nil : (failure ?? .outOfMemory)
    }

    /// Sends one command and waits for its reply.
    func roundTrip(_ command: CommandVector) -> Result<HiredisReply, HiredisFailure> {
        let reply = SigpipeGuard.run {
            command.withArgv { argc, argv, argvlen in redisCommandArgv(raw, argc, argv, argvlen) }
        }
        guard let owned = HiredisReply(taking: reply) else { return .failure(failure ?? .outOfMemory) }
        return .success(owned)
    }

    /// Queues a command in the output buffer; nothing is sent until `nextReply`.
    func append(_ command: CommandVector) -> HiredisFailure? {
        let status = command.withArgv { argc, argv, argvlen in redisAppendCommandArgv(raw, argc, argv, argvlen) }
        return status == REDIS_OK ? nil : (failure ?? .outOfMemory)
    }

    /// Flushes whatever is queued, then reads one reply.
    func nextReply() -> Result<HiredisReply, HiredisFailure> {
        var reply: UnsafeMutableRawPointer?
        // A reply already in hiredis' read buffer (most of a pipeline's) needs no I/O, so
        // it skips the SIGPIPE guard and its four system calls; this is the first step
        // redisGetReply would take anyway.
        var status = redisGetReplyFromReader(raw, &reply)
        if status == REDIS_OK && reply == nil {
            status = SigpipeGuard.run { redisGetReply(raw, &reply) }
        }
        guard status == REDIS_OK, let owned = HiredisReply(taking: reply) else {
            return .failure(failure ?? .outOfMemory)
        }
        return .success(owned)
    }

    /// True when the socket of an idle connection is readable. With no command in flight
    /// the server has nothing to say, so this means it closed the connection (CLIENT KILL,
    /// idle timeout, restart) or sent something we cannot match to a request: either
    /// way the context must not carry another command.
    var isClosedWhileIdle: Bool {
        var descriptor = pollfd(fd: raw.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}

extension HiredisContext {
    /// Writes every queued command to the socket and returns without reading a reply, so
    /// the server works on them while the caller does something else (`RedisStream`).
    func flush() -> HiredisFailure? {
        var done: Int32 = 0
        let failed = SigpipeGuard.run {
            while done == 0 {
                if redisBufferWrite(raw, &done) != REDIS_OK { return true }
            }
            return false
        }
        return failed ? (failure ?? .outOfMemory) : nil
    }
}
