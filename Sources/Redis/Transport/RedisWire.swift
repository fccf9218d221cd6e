/// One open connection as the protocol sees it: the transport, the commands queued to go
/// out (RESP, with explicit lengths), and hiredis' reader for what comes back.
/// `RedisConnection` owns the current one; after any failure it is dropped, never reused.
final class RedisWire {
    let transport: RedisTransport
    private let reader: HiredisReader
    private var output: [UInt8] = []
    /// Whether any reply has arrived: a plain connection to a TLS port fails before the first.
    private(set) var hasReceived = false
    /// Where reads land before hiredis' reader copies them.
    private let scratch: UnsafeMutableRawBufferPointer

    private static let readChunk = 64 * 1024

    init(transport: RedisTransport) throws(TransportFailure) {
        self.transport = transport
        reader = try HiredisReader()
        scratch = .allocate(byteCount: Self.readChunk, alignment: 16)
    }

    deinit { scratch.deallocate() }

    /// Queues a command; nothing is sent until `flush` or `nextReply`.
    func append(_ command: CommandVector) {
        command.appendRESP(to: &output)
    }

    /// Writes every queued command, before the deadline.
    func flush(deadline: Deadline) throws(TransportFailure) {
        guard !output.isEmpty else { return }
        defer { output.removeAll(keepingCapacity: true) }
        let written = output.withUnsafeBytes { bytes -> Result<Void, TransportFailure> in
            do throws(TransportFailure) {
                try transport.writeAll(bytes, deadline: deadline)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try written.get()
    }

    /// Flushes what is queued, then returns the next reply, read before the deadline. Most
    /// replies of a pipeline are already in the reader's buffer and need no I/O.
    func nextReply(deadline: Deadline) throws(TransportFailure) -> HiredisReply {
        if !output.isEmpty { try flush(deadline: deadline) }
        while true {
            if let reply = try reader.nextReply() {
                hasReceived = true
                return reply
            }
            let count = try transport.read(into: scratch, deadline: deadline)
            try reader.feed(UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        }
    }

    /// Sends one command and reads its reply, within one deadline.
    func roundTrip(_ command: CommandVector, deadline: Deadline) throws(TransportFailure) -> HiredisReply {
        append(command)
        return try nextReply(deadline: deadline)
    }

    /// Writes bytes encoded elsewhere (`RedisCommandBuffer`), bypassing the queue.
    func writeAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(TransportFailure) {
        try flush(deadline: deadline)
        try transport.writeAll(bytes, deadline: deadline)
    }

    /// Reads what has arrived into `replies`, the bulk pipeline's own parser, instead of
    /// hiredis' reader (which must hold nothing then: the replies would be out of order).
    func read(into replies: RedisReplyBuffer, deadline: Deadline) throws(TransportFailure) {
        guard !reader.hasBufferedBytes else { throw .protocolError("reply bytes left over from an earlier command") }
        let space = replies.reserveForRead()
        replies.didRead(try transport.read(into: space, deadline: deadline))
        hasReceived = true
    }

    /// True when an idle connection must not carry another command: the server closed it,
    /// or bytes arrived (or were left over) that no command asked for.
    var isClosedWhileIdle: Bool {
        reader.hasBufferedBytes || transport.isClosedWhileIdle
    }
}
