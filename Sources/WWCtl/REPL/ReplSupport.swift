import Glibc

/// Lines of a file descriptor, without their newlines (and without a trailing `\r`).
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { finished = true } else { buffer += chunk[..<n] }
        }
    }
}

/// Waits for async work from a thread that may block (never from the cooperative pool).
enum Blocking {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let slot = BlockingSlot<T>()
        Task.detached {
            slot.value = await body()
            sem_post(slot.semaphore)
        }
        while sem_wait(slot.semaphore) != 0 && errno == EINTR {}
        return slot.value!
    }
}

private final class BlockingSlot<T>: @unchecked Sendable {
    var value: T?
    let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init() { sem_init(semaphore, 0, 0) }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }
}

/// Optimal string alignment distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previous2[j - 2] + 1)
            }
        }
        previous2 = previous
        previous = current
    }
    return previous[b.count]
}
