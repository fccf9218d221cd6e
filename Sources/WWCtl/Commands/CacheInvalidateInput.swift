import CacheOps
import Glibc
import Support

/// `cache invalidate -`: patterns and keys read from standard input, one per line.
///
/// Blank lines and lines whose first non-blank character is `#` are skipped; a trailing
/// `\r` is dropped (files from Windows); a line in double quotes is read with redis-cli's
/// escapes. A line with an unescaped `*`, `?` or `[` is a pattern; any other line (and
/// every line with `--exact`) names one key.
///
/// All of stdin is read before anything is deleted, so a refused pattern on the last line
/// still means nothing was deleted. Patterns are kept (they are few); keys go to a spool
/// file that is already unlinked, so a million names cost disk, not memory.
struct StdinTargets {
    var patterns: [InvalidationTarget] = []
    var keys: SpooledKeys
    var lines = 0

    static func read(fd: Int32 = 0, exact: Bool) throws -> StdinTargets {
        var result = StdinTargets(keys: try SpooledKeys())
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw WWError.dataError("cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    try result.take(buffer[start..<index], exact: exact)
                } else {
                    pending += buffer[start..<index]
                    try result.take(pending[...], exact: exact)
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            pending += buffer[start..<count]
        }
        if !pending.isEmpty { try result.take(pending[...], exact: exact) }
        try result.keys.finishWriting()
        return result
    }

    private mutating func take(_ raw: ArraySlice<UInt8>, exact: Bool) throws {
        lines += 1
        var line = raw
        if line.last == 0x0D { line = line.dropLast() }
        guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 }), first != UInt8(ascii: "#") else { return }
        let text = RedisCLIText.bytes(fromLine: line)
        switch InvalidationTarget.classify(text, exact: exact) {
        case .key(let name): try keys.append(name)
        case let target: patterns.append(target)
        }
    }
}

/// Key names in an unlinked temporary file (length-prefixed records), read back in batches.
final class SpooledKeys: KeyNameSource {
    private let fd: Int32
    private var writeBuffer: [UInt8] = []
    private(set) var count = 0

    init() throws {
        let directory = ProcessEnvironment.temporaryDirectory
        var template = Array((directory + "/wwctl-invalidate-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw WWError.internalError("cannot create a spool file in \(directory) for standard input: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        fd = descriptor
    }

    deinit { close(fd) }

    func append(_ key: [UInt8]) throws {
        var length = UInt32(key.count).littleEndian
        withUnsafeBytes(of: &length) { writeBuffer += $0 }
        writeBuffer += key
        count += 1
        if writeBuffer.count >= 256 * 1024 { try flush() }
    }

    func finishWriting() throws { try flush() }

    private func flush() throws {
        var offset = 0
        while offset < writeBuffer.count {
            let written = writeBuffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw WWError.internalError("cannot write the stdin spool file: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        writeBuffer.removeAll(keepingCapacity: true)
    }

    func forEachBatch(size: Int, _ body: ([[UInt8]]) throws -> Bool) throws {
        var position: off_t = 0
        var data: [UInt8] = []
        var cursor = 0
        var batch: [[UInt8]] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        /// Makes `needed` bytes available at `cursor`, reading more of the file; false at its end.
        func fill(_ needed: Int) throws -> Bool {
            while data.count - cursor < needed {
                if cursor > 0 {
                    data.removeSubrange(0..<cursor)
                    cursor = 0
                }
                let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, position) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw WWError.internalError("cannot read the stdin spool file: \(String(cString: strerror(errno)))")
                }
                if got == 0 { return false }
                position += off_t(got)
                data += chunk[..<got]
            }
            return true
        }
        var remaining = count
        while remaining > 0 {
            guard try fill(4) else { break }
            let length = Int(UInt32(data[cursor]) | UInt32(data[cursor + 1]) << 8 | UInt32(data[cursor + 2]) << 16 | UInt32(data[cursor + 3]) << 24)
            cursor += 4
            guard try fill(length) else { break }
            batch.append(Array(data[cursor..<cursor + length]))
            cursor += length
            remaining -= 1
            if batch.count == size {
                guard try body(batch) else { return }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = try body(batch) }
    }
}

enum ProcessEnvironment {
    /// `$TMPDIR`, else /tmp.
    static var temporaryDirectory: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 {
            var path = String(cString: value)
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path
        }
        return "/tmp"
    }
}
