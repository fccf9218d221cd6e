/// One connection's byte stream to a server: a socket, plain or through TLS. Everything
/// above it (`RedisWire`, pipelines, streams, the bulk pipeline) reads and writes bytes
/// here and never knows which, so deadlines, SIGPIPE safety and reconnects behave alike.
final class RedisTransport {
    let socket: SocketDescriptor
    /// Nil on a plain connection.
    let tls: TLSSession?

    private init(socket: SocketDescriptor, tls: TLSSession?) {
        self.socket = socket
        self.tls = tls
    }

    /// Connects to `endpoint` and, with `tls`, completes the handshake, all before `deadline`.
    static func open(_ endpoint: RedisURL.Endpoint, tls: TLSContext?, deadline: Deadline) throws(TransportFailure) -> RedisTransport {
        let socket = try SocketDescriptor.connect(to: endpoint, deadline: deadline)
        guard let tls else { return RedisTransport(socket: socket, tls: nil) }
        let host: String
        switch endpoint {
        case .tcp(let name, _): host = name
        case .unix: host = "localhost"
        }
        let session = try TLSSession(context: tls, socket: socket, host: host)
        try session.handshake(on: socket, deadline: deadline)
        return RedisTransport(socket: socket, tls: session)
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(TransportFailure) {
        guard let tls else { return try socket.writeAll(bytes, deadline: deadline) }
        var written = 0
        while written < bytes.count {
            written += try tls.write(UnsafeRawBufferPointer(rebasing: bytes[written...]), on: socket, deadline: deadline)
        }
    }

    /// Reads what has arrived (at least one byte), waiting until the deadline.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(TransportFailure) -> Int {
        guard let tls else { return try socket.read(into: buffer, deadline: deadline) }
        return try tls.read(into: buffer, on: socket, deadline: deadline)
    }

    /// True when the server has closed an idle connection, or sent bytes nobody asked for.
    var isClosedWhileIdle: Bool {
        guard let tls else { return socket.isReadable }
        return tls.isClosedWhileIdle(socket)
    }
}
