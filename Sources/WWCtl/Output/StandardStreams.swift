import Glibc

/// Unbuffered-enough writes to stdout and stderr without touching the C `stdout` globals
/// (Swift 6 rejects them). Output is accumulated per call and written with one write(2).
public enum StandardStreams {
    public static func writeOut(_ text: String) { write(fd: 1, text) }
    public static func writeErr(_ text: String) { write(fd: 2, text) }

    private static func write(fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return  // EPIPE and friends: the reader went away; nothing useful to do.
                }
                offset += n
            }
        }
    }
}
