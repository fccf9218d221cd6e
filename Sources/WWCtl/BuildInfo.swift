/// What this binary is: its version and the commit it was built from.
///
/// scripts/build-release.sh records the commit in `BuildCommit.generated.swift` (beside
/// this file, not in git) and compiles with `-D WWCTL_RELEASE_BUILD`, which makes that
/// file count; any other build (`swift build`) ignores it and says no commit was recorded.
enum BuildInfo {
    /// The version `--version`, the REPL and the Debian package (scripts/package-deb.sh
    /// reads it from `wwctl --version`) show.
    static let version = "0.1.0"

    #if WWCTL_RELEASE_BUILD
    static let commit: BuildCommit = releaseBuildCommit
    #else
    static let commit: BuildCommit = .notRecorded
    #endif
}

/// The commit a binary was built from, as far as its build knew.
enum BuildCommit: Equatable {
    /// Built by build-release.sh from a git checkout at `hash`; `modified` when the
    /// tracked files differed from that commit.
    case recorded(hash: String, modified: Bool)
    /// Built by build-release.sh outside a git checkout (an exported tree).
    case unknown
    /// A build that records no commit (`swift build`, the tests).
    case notRecorded
}
