import Testing
@testable import WWCtl

@Suite struct VersionCommandTests {
    @Test func answersVersionWithVerboseAndOutputBesideIt() {
        for arguments in [["--version"], ["--version", "-v"], ["-v", "--version"], ["--verbose", "--version"],
                          ["--version", "-o", "json"], ["-ojson", "--version"], ["--output=json", "--version", "-v"]] {
            #expect(VersionCommand.isRequested(arguments), "\(arguments)")
        }
    }

    @Test func leavesEverythingElseToTheParser() {
        for arguments in [[], ["-v"], ["ping", "--version"], ["--version", "ping"], ["--version", "-o"],
                          ["--version", "-q"], ["cache", "keys", "--version"]] {
            #expect(!VersionCommand.isRequested(arguments), "\(arguments)")
        }
    }

    @Test func reportsTheBuildAndTheRunTimeLibraries() {
        let plain = VersionCommand.report(verbose: false)
        #expect(plain.version == BuildInfo.version)
        #expect(plain.hiredis.compiledAgainst != nil && plain.hiredis.file != nil)
        #expect(plain.libpq == nil && plain.openssl == nil)
        // Tests are not release builds: they say so instead of naming a commit.
        #expect(plain.commitState == "not-recorded" && plain.commit == nil)
        let text = plain.renderText(RenderContext(width: nil, style: Style(enabled: false), verbose: false, stdoutIsTTY: false))
        #expect(text.hasPrefix("wwctl \(BuildInfo.version) (no commit recorded: not a release build)\nhiredis "))
    }
}

@Suite struct VersionReportTests {
    func firstLine(_ commit: String?, _ state: String) -> String {
        let report = VersionReport(
            version: "1.2.3", commit: commit, commitState: state,
            hiredis: .init(version: "0.14", file: "/lib/libhiredis.so.0.14", source: VersionSource.fileName, compiledAgainst: "0.14.1"))
        let text = report.renderText(RenderContext(width: nil, style: Style(enabled: false), verbose: false, stdoutIsTTY: false))
        return String(text.split(separator: "\n")[0])
    }

    @Test func saysWhatItKnowsOfTheCommit() {
        #expect(firstLine("0123456789ab", "recorded") == "wwctl 1.2.3 (commit 0123456789ab)")
        #expect(firstLine("0123456789ab", "modified") == "wwctl 1.2.3 (commit 0123456789ab with uncommitted changes)")
        #expect(firstLine(nil, "unknown") == "wwctl 1.2.3 (commit unknown: built outside a git checkout)")
        #expect(firstLine(nil, "not-recorded") == "wwctl 1.2.3 (no commit recorded: not a release build)")
    }

    @Test func aLibraryThatDidNotLoadSaysWhy() {
        var report = VersionReport(
            version: "1.2.3", commit: nil, commitState: "not-recorded",
            hiredis: .init(version: "0.14", file: "/lib/libhiredis.so.0.14", source: VersionSource.fileName, compiledAgainst: "0.14.1"))
        report.libpq = .init(source: VersionSource.libpq, error: "postgres: could not load libpq (x); install libpq5")
        let text = report.renderText(RenderContext(width: nil, style: Style(enabled: false), verbose: true, stdoutIsTTY: false))
        #expect(text.split(separator: "\n").map(String.init) == [
            "wwctl 1.2.3 (no commit recorded: not a release build)",
            "hiredis 0.14 (the version in the loaded file's name, /lib/libhiredis.so.0.14; compiled against 0.14.1)",
            "libpq not loaded: postgres: could not load libpq (x); install libpq5",
        ])
    }
}
