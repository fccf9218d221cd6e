import CHiredis
import Glibc

extension RedisConnection {
    /// Sends every command of `commands` in one write and reads their replies into
    /// `replies` (emptied first), without building `RedisReply` trees: for walks that send
    /// thousands of small commands per round trip (PTTL of each key of a SCAN batch).
    ///
    /// Error replies are kept as `.error` elements, as `pipeline` passes them on. An
    /// incomplete or misused `commands` is refused before anything is sent. An I/O failure
    /// or bytes that are not RESP drop the connection and are thrown; the commands may or
    /// may not have run. While a `RedisStream` has replies pending the connection refuses
    /// this rather than mix up replies.
    public func pipeline(_ commands: RedisCommandBuffer, into replies: RedisReplyBuffer) throws {
        replies.reset()
        if let problem = commands.problem {
            throw RedisError(kind: .invalidRequest, address: url.address, detail: "command buffer: \(problem)")
        }
        guard !commands.isEmpty else { return }
        let context = try liveContext()
        if let failure = commands.withUnsafeBytes({ context.writeAll($0) }) {
            discard(context)
            throw ioError(failure, command: nil)
        }
        do {
            while try !replies.parse(until: commands.count) {
                if let failure = context.read(into: replies) {
                    discard(context)
                    let error = ioError(failure, command: nil)
                    throw RedisError(
                        kind: error.kind, address: url.address,
                        detail: "\(error.detail) (pipeline, after \(replies.count) replies)")
                }
            }
        } catch let violation as RESPViolation {
            discard(context)
            throw RedisError(
                kind: .protocolError, address: url.address,
                detail: "protocol error: \(violation.detail) (pipeline, after \(replies.count) replies)")
        }
        if replies.hasUnparsedBytes {
            // The server sent more than the commands asked for: the stream is out of step.
            discard(context)
            throw RedisError(
                kind: .protocolError, address: url.address,
                detail: "protocol error: more replies than commands (pipeline of \(commands.count))")
        }
    }
}

extension HiredisContext {
    /// Writes all of `buffer` to the socket (bounded by the send timeout), as hiredis would.
    func writeAll(_ buffer: UnsafeRawBufferPointer) -> HiredisFailure? {
        let fd = raw.pointee.fd
        return SigpipeGuard.run {
            var written = 0
            while written < buffer.count {
                let result = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    return Self.systemFailure()
                }
            }
            return nil
        }
    }

    /// Reads what has arrived (waiting up to the receive timeout) into `replies`.
    func read(into replies: RedisReplyBuffer) -> HiredisFailure? {
        let fd = raw.pointee.fd
        while true {
            let space = replies.reserveForRead()
            let result = Glibc.read(fd, space.baseAddress!, space.count)
            if result > 0 {
                replies.didRead(result)
                return nil
            }
            if result == 0 { return HiredisFailure(code: REDIS_ERR_EOF, text: "Server closed the connection") }
            if errno == EINTR { continue }
            return Self.systemFailure()
        }
    }

    /// What hiredis records for a failed system call: the errno text.
    private static func systemFailure() -> HiredisFailure {
        HiredisFailure(code: REDIS_ERR_IO, text: String(cString: strerror(errno)))
    }
}
