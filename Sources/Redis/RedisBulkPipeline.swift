extension RedisConnection {
    /// Sends every command of `commands` in one write and reads their replies into
    /// `replies` (emptied first), without building `RedisReply` trees: for walks that send
    /// thousands of small commands per round trip (PTTL of each key of a SCAN batch). The
    /// round trip has one deadline, `commandTimeout`, from the first byte written to the
    /// last reply read.
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
        let wire = try liveWire()
        let deadline = Deadline(after: commandTimeout)
        do {
            try commands.withUnsafeBytes { try wire.writeAll($0, deadline: deadline) }
        } catch let failure as TransportFailure {
            discard(wire)
            throw failed(failure, command: nil, on: wire)
        }
        do {
            while try !replies.parse(until: commands.count) {
                do {
                    try wire.read(into: replies, deadline: deadline)
                } catch {
                    discard(wire)
                    throw failed(error, command: nil, position: replies.count, on: wire)
                }
            }
        } catch let violation as RESPViolation {
            discard(wire)
            throw RedisError(
                kind: .protocolError, address: url.address,
                detail: "protocol error: \(violation.detail) (pipeline, after \(replies.count) replies)")
        }
        if replies.hasUnparsedBytes {
            // The server sent more than the commands asked for: the stream is out of step.
            discard(wire)
            throw RedisError(
                kind: .protocolError, address: url.address,
                detail: "protocol error: more replies than commands (pipeline of \(commands.count))")
        }
    }
}
