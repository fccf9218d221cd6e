import Glibc

/// A C library opened at run time with dlopen rather than linked, so commands that never
/// use it do not pay for loading it and its dependencies (libpq pulls in TLS, Kerberos and
/// LDAP). The handle is never closed: the library's function tables live for the process.
public struct DynamicLibrary: @unchecked Sendable {
    public let handle: UnsafeMutableRawPointer
    /// The name that loaded.
    public let name: String
    /// Whether the library was already mapped into the process before this open (then
    /// something linked it after all).
    public let wasLoaded: Bool

    /// Why none of the names loaded: each name's dlerror, on one line.
    public struct LoadFailure: Error {
        public let reason: String
    }

    /// Opens the first of `names` that loads, with its symbols resolved now and kept local.
    public static func open(firstOf names: [String]) -> Result<DynamicLibrary, LoadFailure> {
        var reasons: [String] = []
        for name in names {
            let wasLoaded = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD).map { dlclose($0); return true } ?? false
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            return .success(DynamicLibrary(handle: handle, name: name, wasLoaded: wasLoaded))
        }
        let reason = reasons.joined(separator: "; ").split(whereSeparator: \.isNewline).joined(separator: " ")
        return .failure(LoadFailure(reason: reason))
    }

    /// The address of `symbol`, nil when the library has none.
    public func address(_ symbol: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, symbol)
    }

    /// The library at `path` if it is already in the process, opened without loading it
    /// (RTLD_NOLOAD): asking never maps anything new.
    public static func alreadyLoaded(_ path: String) -> DynamicLibrary? {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD) else { return nil }
        return DynamicLibrary(handle: handle, name: path, wasLoaded: true)
    }

    /// The file of the first library mapped into the process whose file name starts with
    /// `prefix` (`libhiredis.so`), as /proc/self/maps names it (the dynamic linker's
    /// list, dl_iterate_phdr, is not in Swift's Glibc module), symbolic links resolved:
    /// the name carries the version the dynamic linker actually picked.
    public static func loadedFile(named prefix: String) -> String? {
        for line in readMaps().split(separator: "\n") {
            // address perms offset dev inode path
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            guard path.split(separator: "/").last?.hasPrefix(prefix) == true else { continue }
            guard let resolved = realpath(path, nil) else { return path }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return nil
    }

    private static func readMaps() -> String {
        let fd = Glibc.open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A library's version as the loaded library itself reports it, and the file it was
/// loaded from: what `wwctl --version` shows.
public struct LoadedLibraryVersion: Sendable, Equatable {
    public let version: String
    public let file: String?

    public init(version: String, file: String?) {
        self.version = version
        self.file = file
    }
}
