import Glibc
import Support

/// Which libpq (and which OpenSSL through it) this process runs with, for
/// `wwctl --version -v`. Asking loads libpq, which is why only `-v` asks.
public enum PostgresLibrary {
    /// `PQlibVersion()` of the libpq that loads (loading it if needed): `15.18`.
    public static func version() throws(WWError) -> LoadedLibraryVersion {
        let number = try LibPQ.shared().libVersion()
        return LoadedLibraryVersion(version: versionText(number), file: DynamicLibrary.loadedFile(named: "libpq.so"))
    }

    /// `OpenSSL_version(OPENSSL_VERSION)` of the libcrypto in the process (libpq links it),
    /// nil when none is mapped. Loads nothing.
    public static func openSSLVersion() -> LoadedLibraryVersion? {
        guard let file = DynamicLibrary.loadedFile(named: "libcrypto.so"),
              let library = DynamicLibrary.alreadyLoaded(file),
              let symbol = library.address("OpenSSL_version")
        else { return nil }
        let openSSLVersion = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> UnsafePointer<CChar>?).self)
        let openSSLVersionText: Int32 = 0  // OPENSSL_VERSION
        guard let text = openSSLVersion(openSSLVersionText) else { return nil }
        // "OpenSSL 3.0.19 27 Jan 2026": the name is said by whoever prints it.
        var version = String(cString: text)
        if version.hasPrefix("OpenSSL ") { version.removeFirst("OpenSSL ".count) }
        return LoadedLibraryVersion(version: version, file: file)
    }

    /// PQlibVersion's number as PostgreSQL writes versions: 150018 is 15.18 (10 and
    /// later), 90624 is 9.6.24.
    static func versionText(_ number: Int32) -> String {
        let major = number / 10000
        if major >= 10 { return "\(major).\(number % 10000)" }
        return "\(major).\(number / 100 % 100).\(number % 100)"
    }
}
