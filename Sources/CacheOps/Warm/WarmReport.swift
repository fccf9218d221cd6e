import Support

/// Where a running warm is.
public struct WarmProgress: Sendable {
    /// The family being written.
    public let family: String
    /// Keys written so far, in all families.
    public let keys: Int
    /// Families finished, of `familyCount`.
    public let familiesDone: Int
    public let familyCount: Int
}

/// One family's outcome. Its counts add up to what Redis holds of the family after the
/// warm (when it started from nothing and as far as wwctl's change log tells):
/// `keys = written − invalidated`.
public struct WarmFamilyReport: Sendable, Equatable {
    public let name: String
    /// Keys this warm wrote that Redis still holds as it ends (a dry run: keys that would
    /// be written).
    public var keys: Int
    /// Keys written (SET), over every pass: the first pass and the re-warm passes. A key
    /// written twice (deleted by a change and written again) counts twice.
    public var written: Int
    /// Bytes (key + value) of the keys written; refused keys are not counted.
    public var bytes: Int
    /// From the start of the family's first query to its last write, over every pass.
    public var elapsedSeconds: Double
    /// Keys the epoch guard refused because a change after the snapshot touched them.
    public var refused: Int
    /// Keys written by re-warm passes (refused before, or deleted by a change after this
    /// warm wrote them), each from a snapshot taken after the change.
    public var rewarmed: Int
    /// Refused keys the database still implies that no pass could write before the bound
    /// on re-warm passes: the cache is missing them (`incomplete`).
    public var unwarmed: Int
    /// Refused or deleted keys a re-warm pass found the database no longer implies.
    public var gone: Int
    /// Keys this warm wrote that a change deleted afterwards (and, unless re-warmed since,
    /// Redis no longer holds).
    public var invalidated: Int
    /// `--only-missing`: keys left alone because they exist.
    public var present: Int
    /// Keys sent in a round trip whose reply never came (the run failed in between):
    /// written or not. Not counted in `keys`.
    public var unconfirmed: Int
    /// Re-warm passes of this family.
    public var rounds: Int
    /// Refused keys remain unwarmed: the operator (or cron) should run the warm again.
    public var incomplete: Bool

    public var keysPerSecond: Double {
        elapsedSeconds > 0 ? Double(written) / elapsedSeconds : 0
    }

    public init(name: String) {
        self.name = name
        keys = 0
        written = 0
        bytes = 0
        elapsedSeconds = 0
        refused = 0
        rewarmed = 0
        unwarmed = 0
        gone = 0
        invalidated = 0
        present = 0
        unconfirmed = 0
        rounds = 0
        incomplete = false
    }
}

/// What a warm did.
public struct WarmReport: Sendable {
    public let scope: WarmScope
    public let dryRun: Bool
    public let onlyMissing: Bool
    public let guardMode: WarmGuard
    public var families: [WarmFamilyReport]
    /// Warmable families the scope does not reach (left out).
    public let outOfScope: [String]
    public var elapsedSeconds: Double
    /// Families not begun when the run stopped (interrupted or failed).
    public var notStarted: [String] = []
    /// The change log's position when the run last read it (`.none`: no log).
    public var changeLog: ChangeLogPosition = .none

    public var keys: Int { families.reduce(0) { $0 + $1.keys } }
    public var written: Int { families.reduce(0) { $0 + $1.written } }
    public var bytes: Int { families.reduce(0) { $0 + $1.bytes } }
    public var refused: Int { families.reduce(0) { $0 + $1.refused } }
    public var rewarmed: Int { families.reduce(0) { $0 + $1.rewarmed } }
    public var unwarmed: Int { families.reduce(0) { $0 + $1.unwarmed } }
    public var invalidated: Int { families.reduce(0) { $0 + $1.invalidated } }
    public var unconfirmed: Int { families.reduce(0) { $0 + $1.unconfirmed } }
    public var incomplete: Bool { families.contains { $0.incomplete } }
    public var keysPerSecond: Double { elapsedSeconds > 0 ? Double(written) / elapsedSeconds : 0 }
}

/// A warm stopped part-way (Ctrl-C, a server lost, the lock lost): the error, and what it
/// had written, so the command reports the keys in Redis instead of the error alone.
public struct WarmFailure: CategorizedError {
    public let report: WarmReport
    public let cause: any CategorizedError

    public var category: ErrorCategory { cause.category }
    public var message: String { cause.message }
}
