import Glibc
import Support

/// The REPL's history on disk: one line per entry, private to the user (directory 0700,
/// file 0600, tightened if they exist with looser modes), bounded to `limit` entries.
///
/// History holds what an operator typed, so it is never written through a symbolic link
/// (`O_NOFOLLOW`: a link planted at its path would have the REPL chmod and append to the
/// link's target) nor into a file or folder owned by someone else: such a file is refused,
/// and the REPL runs without history, saying so once.
///
/// Each entry is appended as soon as it is entered, so a session that is killed keeps
/// what it did; the file is cut back to the last `limit` entries when it is loaded and
/// whenever it has grown a tenth past the limit, by writing a new file and renaming it
/// over the old one.
struct HistoryFile {
    let path: String
    let limit: Int
    private(set) var linesInFile = 0

    init(path: String, limit: Int) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// `$XDG_STATE_HOME/wwctl/history`, else `~/.local/state/wwctl/history`.
    static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/wwctl/history" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/wwctl/history" }
        return nil
    }

    /// The last `limit` entries, oldest first; a missing file is an empty history.
    mutating func load() throws -> [String] {
        guard let text = try Self.read(path) else {
            linesInFile = 0
            return []
        }
        var entries = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        linesInFile = entries.count
        if entries.count > limit {
            entries.removeFirst(entries.count - limit)
            try rewrite(entries)
        }
        return entries
    }

    /// Appends one entry (a line without newlines), creating the file and its directory.
    mutating func append(_ entry: String, keeping entries: [String]) throws {
        try Self.makeDirectory(for: path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure("cannot open") }
        defer { close(fd) }
        try Self.requireOwnFile(fd, path)
        _ = fchmod(fd, 0o600)
        guard Self.writeAll(fd, entry + "\n") else { throw failure("cannot write") }
        linesInFile += 1
        if linesInFile > limit + limit / 10 {
            try rewrite(Array(entries.suffix(limit)))
        }
    }

    /// Replaces the file with `entries`, atomically.
    mutating func rewrite(_ entries: [String]) throws {
        try Self.makeDirectory(for: path)
        let temporary = path + ".tmp.\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure("cannot create") }
        _ = fchmod(fd, 0o600)
        let text = entries.map { $0 + "\n" }.joined()
        let written = Self.writeAll(fd, text)
        close(fd)
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot write")
        }
        linesInFile = entries.count
    }

    private func failure(_ what: String) -> WWError {
        Self.failure(path, what)
    }

    private static func failure(_ path: String, _ what: String) -> WWError {
        let reason = errno == ELOOP ? "it is a symbolic link, which history never follows" : String(cString: strerror(errno))
        return WWError.internalError("history \(path): \(what): \(reason)")
    }

    /// Refuses what is not a regular file of this user.
    private static func requireOwnFile(_ fd: Int32, _ path: String) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path, "cannot examine") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw WWError.internalError("history \(path): not a regular file")
        }
        guard info.st_uid == geteuid() else {
            throw WWError.internalError("history \(path): owned by user \(info.st_uid), not by this one (\(geteuid()))")
        }
    }

    private static func read(_ path: String) throws -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure(path, "cannot open")
        }
        defer { close(fd) }
        try requireOwnFile(fd, path)
        _ = fchmod(fd, 0o600)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Creates the missing directories of `path`'s parent with mode 0700 and makes the
    /// last one 0700 (`wwctl` is ours; the ones above it are left as they are), unless it
    /// is a symbolic link or someone else's.
    private static func makeDirectory(for path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash > path.startIndex else { return }
        let directory = String(path[..<slash])
        var prefix = ""
        for component in directory.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw WWError.internalError("history \(prefix): cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard lstat(directory, &info) == 0 else { throw failure(directory, "cannot examine") }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw WWError.internalError("history \(directory): not a directory (a symbolic link is never followed)")
        }
        guard info.st_uid == geteuid() else {
            throw WWError.internalError("history \(directory): owned by user \(info.st_uid), not by this one (\(geteuid()))")
        }
        _ = chmod(directory, 0o700)
    }

    private static func writeAll(_ fd: Int32, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
