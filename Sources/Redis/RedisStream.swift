/// Commands sent ahead of their replies on one `RedisConnection`: `send` writes commands to
/// the socket and returns at once, `receive` reads the next reply, in the order the
/// commands were sent. The server works on what was sent while the caller does something
/// else: a SCAN walk sends the next SCAN before it checks the batch it has.
///
/// - While replies are pending the stream holds the connection's context for itself: the
///   connection refuses everything else (`command`, `pipeline`) until `pending` is back
///   to 0, since it would read this stream's replies. `drain()` reads and drops what is pending.
/// - An I/O or protocol failure drops the connection, as `RedisConnection` does, and
///   forgets every pending reply: the commands in flight may or may not have run. The next
///   `send` connects afresh.
/// - A stream dropped with replies pending drops the connection's context too (the next
///   command connects afresh), so no later command can read a reply meant for this one.
/// - Error replies are returned as `.error`, one per failed command, like `pipeline`.
/// - Writing what `send` queued is one deadline (`commandTimeout`); each `receive` waits
///   at most `commandTimeout` for its reply as a whole.
/// - Keep what is in flight small: replies wait in the server's memory until received.
public struct RedisStream: ~Copyable {
    public let connection: RedisConnection
    /// The wire the pending replies will arrive on; nil when nothing is pending.
    private var context: RedisWire?
    /// Commands sent whose replies have not been received.
    public private(set) var pending = 0

    public init(_ connection: RedisConnection) {
        self.connection = connection
    }

    deinit {
        if let context { connection.discard(context) }
    }

    /// Appends `commands` to the output buffer and writes them out without waiting for a
    /// reply. With nothing pending, an idle connection the server has closed is replaced
    /// first, as before any command.
    public mutating func send(_ commands: [[any RedisArgument]]) throws {
        guard !commands.isEmpty else { return }
        let vectors = try commands.map { try connection.validated($0) }
        if let context = self.context { try requireOpen(context) }
        let context = try self.context ?? connection.liveWire()
        self.context = context
        for vector in vectors { context.append(vector) }
        pending += vectors.count
        connection.streamedRepliesPending += vectors.count
        do {
            try context.flush(deadline: Deadline(after: connection.commandTimeout))
        } catch {
            drop(context)
            throw connection.failed(error, command: vectors.count == 1 ? vectors[0].name : nil, on: context)
        }
    }

    /// The reply to the oldest command sent and not yet received.
    public mutating func receive() throws -> RedisReply {
        guard pending > 0, let context else {
            throw RedisError(kind: .invalidRequest, address: connection.address, detail: "no reply pending")
        }
        try requireOpen(context)
        let reply: RedisReply
        do {
            reply = try connection.nextReply(on: context, deadline: Deadline(after: connection.commandTimeout))
        } catch {
            drop(context)
            throw error
        }
        pending -= 1
        connection.streamedRepliesPending -= 1
        if pending == 0 { self.context = nil }
        return reply
    }

    /// Reads and drops every pending reply, so the connection can carry other commands.
    public mutating func drain() throws {
        while pending > 0 { _ = try receive() }
    }

    /// Throws, forgetting what was pending, when `close()` on the connection has taken the
    /// socket the pending replies were to come on.
    private mutating func requireOpen(_ context: RedisWire) throws {
        guard !connection.isCurrent(context) else { return }
        let lost = pending
        self.context = nil
        pending = 0
        throw RedisError(kind: .io, address: connection.address, detail: "connection closed with \(lost) replies pending")
    }

    private mutating func drop(_ failed: RedisWire) {
        connection.discard(failed)
        context = nil
        pending = 0
    }
}
