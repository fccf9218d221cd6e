import Support

/// `wwctl --version`: this binary, then the C libraries it runs with, each as the loaded
/// library reports itself (the way `psql --version` and `redis-cli --version` do).
struct VersionReport: Renderable {
    struct Library: Encodable {
        var version: String?
        /// The loaded file, symbolic links resolved.
        var file: String?
        /// Where `version` comes from: a call into the library, or the loaded file's name.
        var source: String
        /// The version of the headers wwctl was compiled against, where the run-time
        /// version is less precise (hiredis).
        var compiledAgainst: String?
        /// Why the library could not be loaded.
        var error: String?
    }

    var version: String
    var commit: String?
    /// recorded, modified (built with uncommitted changes), unknown, not-recorded.
    var commitState: String
    var hiredis: Library
    /// Asked with `-v` only: loading libpq costs a few milliseconds.
    var libpq: Library?
    var openssl: Library?

    func renderText(_ context: RenderContext) -> String {
        var text = "wwctl \(version) (\(commitText))\n"
        text += line("hiredis", hiredis)
        if let libpq { text += line("libpq", libpq) }
        if let openssl { text += line("OpenSSL", openssl, loadedBy: "libpq") }
        return text
    }

    private var commitText: String {
        switch commitState {
        case "recorded": "commit \(commit ?? "?")"
        case "modified": "commit \(commit ?? "?") with uncommitted changes"
        case "unknown": "commit unknown: built outside a git checkout"
        default: "no commit recorded: not a release build"
        }
    }

    private func line(_ name: String, _ library: Library, loadedBy: String? = nil) -> String {
        if let error = library.error { return "\(name) not loaded: \(error)\n" }
        var notes = [
            library.source == VersionSource.fileName
                ? "the version in the loaded file's name, \(library.file ?? "?")"
                : "\(library.source) of \(library.file ?? "?")" + (loadedBy.map { ", loaded by \($0)" } ?? ""),
        ]
        if let compiled = library.compiledAgainst { notes.append("compiled against \(compiled)") }
        return "\(name) \(library.version ?? "?") (\(notes.joined(separator: "; ")))\n"
    }
}

/// The `source` of a library's version in `VersionReport`.
enum VersionSource {
    static let fileName = "file name"
    static let libpq = "PQlibVersion()"
    static let openSSL = "OpenSSL_version()"
}
