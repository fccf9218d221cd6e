import Foundation

/// A TCP listener on 127.0.0.1 that never writes a byte: what a hung or firewalled
/// server looks like from the client. Connections complete in the kernel's accept queue
/// without `accept`, so a client's command just waits for a reply that never comes.
final class SilentListener {
    let port: Int
    private let fd: Int32
    private var others: [Int32] = []

    /// `backlog` 0 leaves room for a single queued connection (see `fillBacklog`).
    init(backlog: Int32 = 16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            close(fd)
            throw SocketError("bind/listen: \(errno)")
        }
        self.fd = fd
        port = Self.localPort(of: fd)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        for other in others { close(other) }
        close(fd)
    }

    /// Takes the accept queue's only slot (listen backlog 0): the kernel then drops every
    /// further SYN, so a new connection attempt neither succeeds nor is refused.
    func fillBacklog() throws {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        others.append(client)
        guard connected == 0 else { throw SocketError("filling the backlog: \(errno)") }
    }

    /// The next connection that reached the queue, if any.
    func acceptQueued() -> Int32? {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        others.append(client)
        return client
    }

    /// Everything the peer sent so far, and whether it has closed its side.
    static func drain(_ connection: Int32) -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(connection, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                bytes += buffer[..<count]
            } else {
                return (bytes, count == 0)
            }
        }
    }

    /// A port on which nothing listens: bound once to learn a free number, then closed.
    static func closedPort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SocketError("bind: \(errno)") }
        return localPort(of: probe)
    }

    private static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct SocketError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
