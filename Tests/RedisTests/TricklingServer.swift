import Foundation

/// A TCP server on 127.0.0.1 that answers every request with `reply`, one byte every
/// `interval` seconds: a server that is alive and answering, only too slowly to finish
/// a reply within the client's deadline. A per-read socket timeout never fires on it,
/// since a byte arrives well within any one read's wait.
final class TricklingServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init(reply: [UInt8], interval: Double) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket: \(errno)") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw SocketError("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
        let listener = fd
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                Thread.detachNewThread { Self.serve(client, reply: reply, interval: interval) }
            }
        }
    }

    deinit {
        // Wakes the thread blocked in accept.
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private static func serve(_ client: Int32, reply: [UInt8], interval: Double) {
        defer { close(client) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(client, &buffer, buffer.count, 0) > 0 {
            for byte in reply {
                var one = byte
                guard send(client, &one, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
                usleep(useconds_t(interval * 1_000_000))
            }
        }
    }
}
