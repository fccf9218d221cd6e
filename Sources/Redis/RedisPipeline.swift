extension RedisConnection {
    /// Sends `commands` in batches of at most `batchSize`: each batch is appended to the
    /// output buffer, flushed, and all its replies read before `onReply(index, reply)` is
    /// called for each of them in order (index counts from 0 across all batches). The
    /// sequence is consumed one batch at a time, so memory stays bounded by `batchSize`
    /// however many commands it yields.
    ///
    /// Each batch is one round trip, within `commandTimeout` as a whole.
    ///
    /// Error replies are passed to `onReply` as `.error`. An I/O failure drops the
    /// connection and is thrown; the replies of the batch it hit are not delivered, and the
    /// commands of that batch may or may not have run. An error thrown by `onReply` stops
    /// the pipeline before the next batch is sent; the connection stays usable.
    public func pipelined<S: Sequence>(
        _ commands: S, batchSize: Int = 1000, onReply: (Int, RedisReply) throws -> Void
    ) throws where S.Element == [any RedisArgument] {
        guard batchSize > 0 else {
            throw RedisError(kind: .invalidRequest, address: url.address, detail: "pipeline batch size must be at least 1")
        }
        var iterator = commands.makeIterator()
        var delivered = 0
        var batch: [CommandVector] = []
        var replies: [RedisReply] = []
        while true {
            batch.removeAll(keepingCapacity: true)
            while batch.count < batchSize, let next = iterator.next() {
                batch.append(try validated(next))
            }
            guard !batch.isEmpty else { return }
            try exchange(batch, into: &replies, after: delivered)
            for reply in replies {
                try onReply(delivered, reply)
                delivered += 1
            }
        }
    }

    /// One batch is one round trip: its deadline covers writing every command and reading
    /// every reply.
    private func exchange(_ batch: [CommandVector], into replies: inout [RedisReply], after delivered: Int) throws {
        replies.removeAll(keepingCapacity: true)
        let wire = try liveWire()
        let deadline = Deadline(after: commandTimeout)
        for command in batch { wire.append(command) }
        for _ in batch {
            replies.append(try nextReply(on: wire, deadline: deadline, position: delivered + replies.count))
        }
    }
}
