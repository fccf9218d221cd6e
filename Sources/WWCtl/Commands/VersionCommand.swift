import Postgres
import Redis
import Support

/// `wwctl --version [-v] [-o FORMAT]`, answered before the command line is parsed:
/// swift-argument-parser would print only the version string. hiredis is linked, so its
/// line costs nothing; libpq and the OpenSSL it brings are loaded for `-v` only.
enum VersionCommand {
    /// Whether `arguments` ask for the version and nothing else: `--version` with only
    /// `-v`/`--verbose` and `-o FORMAT` beside it.
    static func isRequested(_ arguments: [String]) -> Bool {
        guard arguments.contains("--version") else { return false }
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--version", "-v", "--verbose": continue
            case "-o", "--output": if rest.popFirst() == nil { return false }
            default:
                if argument.hasPrefix("--output=") || (argument.hasPrefix("-o") && argument.count > 2) { continue }
                return false
            }
        }
        return true
    }

    static func run(_ arguments: [String]) -> Int32 {
        let verbose = arguments.contains("-v") || arguments.contains("--verbose")
        let output = Output(
            format: WWCtlMain.requestedFormat(arguments), terminal: Terminal.current(environment: CurrentEnvironment.read()),
            quiet: false, verbose: verbose, noColor: true)
        do {
            try output.emit(report(verbose: verbose))
            return 0
        } catch let error as any CategorizedError {
            output.report(error)
            return error.category.exitCode
        } catch {
            return 70
        }
    }

    static func report(verbose: Bool) -> VersionReport {
        let (commit, state): (String?, String) = switch BuildInfo.commit {
        case .recorded(let hash, let modified): (hash, modified ? "modified" : "recorded")
        case .unknown: (nil, "unknown")
        case .notRecorded: (nil, "not-recorded")
        }
        let hiredisFile = HiredisLibrary.loadedFile()
        var report = VersionReport(
            version: BuildInfo.version, commit: commit, commitState: state,
            hiredis: .init(
                version: hiredisFile.flatMap(HiredisLibrary.version(ofFile:)), file: hiredisFile,
                source: VersionSource.fileName, compiledAgainst: HiredisLibrary.compiledVersion))
        guard verbose else { return report }
        do {
            let libpq = try PostgresLibrary.version()
            report.libpq = .init(version: libpq.version, file: libpq.file, source: VersionSource.libpq)
        } catch {
            report.libpq = .init(source: VersionSource.libpq, error: error.message)
        }
        if let openssl = PostgresLibrary.openSSLVersion() {
            report.openssl = .init(version: openssl.version, file: openssl.file, source: VersionSource.openSSL)
        }
        return report
    }
}
