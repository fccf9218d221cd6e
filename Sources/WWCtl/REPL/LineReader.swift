import Glibc

/// Lines of a file descriptor, without their newlines (and without a trailing `\r`). A
/// line that is not valid UTF-8 comes back as its bytes: it is refused, never repaired.
struct LineReader {
    enum Line: Equatable {
        case text(String)
        case notUTF8([UInt8])
    }

    let fd: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> Line? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return Self.line(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return Self.line(buffer)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { finished = true } else { buffer += chunk[..<n] }
        }
    }

    private static func line(_ bytes: [UInt8]) -> Line {
        String(validating: bytes, as: UTF8.self).map(Line.text) ?? .notUTF8(bytes)
    }
}
