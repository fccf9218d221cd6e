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
}
