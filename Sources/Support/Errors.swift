/// What kind of failure an error is, which is all the executable needs to pick an
/// exit code (docs/CLI.md). Library code throws errors that carry a category; only
/// `wwctl`'s entry point turns a category into a process exit status.
public enum ErrorCategory: String, Sendable, Codable, CaseIterable {
    /// A negative answer that is not a failure: permission denied, lint findings, key missing.
    case negative
    /// The command line was wrong: unknown option, malformed argument, unknown profile.
    case usage
    /// The input data was wrong: unknown org, invalid price, a transition not allowed.
    case dataError
    /// A server could not be reached or refused us (closed port, timeout, wrong password).
    case unavailable
    /// A bug or an unexpected server answer.
    case internalError
    /// Try again later: a lock is held by another run, a serialization failure persisted.
    case temporaryFailure
    /// The server refused the command to this user: Redis `NOPERM` (an ACL), PostgreSQL
    /// `insufficient_privilege`. Not an outage: retrying will not help, granting will.
    case permissionDenied
    /// The operator pressed Ctrl-C (or the process got SIGTERM or SIGHUP).
    case interrupted

    /// The exit status of docs/CLI.md for this category.
    public var exitCode: Int32 {
        switch self {
        case .negative: 1
        case .usage: 64
        case .dataError: 65
        case .unavailable: 69
        case .internalError: 70
        case .temporaryFailure: 75
        case .permissionDenied: 77
        case .interrupted: Interrupt.exitStatus  // 130, or 143 for SIGTERM, 129 for SIGHUP
        }
    }

    /// The stable name used in `{"error": {"code": …}}`.
    public var code: String {
        switch self {
        case .negative: "negative"
        case .usage: "usage"
        case .dataError: "data"
        case .unavailable: "unavailable"
        case .internalError: "internal"
        case .temporaryFailure: "tempfail"
        case .permissionDenied: "permission"
        case .interrupted: "interrupted"
        }
    }
}

/// An error that knows its category and has a one-line, operator-facing message.
/// Messages name what was wrong (`no org 123`, `redis 127.0.0.1:6390: connection refused`)
/// and never contain a password.
public protocol CategorizedError: Error, CustomStringConvertible, Sendable {
    var category: ErrorCategory { get }
    /// One line, no trailing newline.
    var message: String { get }
}

extension CategorizedError {
    public var description: String { message }
}

/// One line for any error, for reports that carry an error among other results (a health
/// check, a ping of one server): a categorized error's message, else the first line of
/// its description.
public func oneLineMessage(_ error: any Error) -> String {
    if let categorized = error as? any CategorizedError { return categorized.message }
    let text = String(describing: error)
    return text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
}

/// A general-purpose categorized error for the cases that need no structure of their own.
public struct WWError: CategorizedError, Equatable {
    public let category: ErrorCategory
    public let message: String

    public init(_ category: ErrorCategory, _ message: String) {
        self.category = category
        self.message = message
    }

    public static func usage(_ message: String) -> WWError { WWError(.usage, message) }
    public static func dataError(_ message: String) -> WWError { WWError(.dataError, message) }
    public static func unavailable(_ message: String) -> WWError { WWError(.unavailable, message) }
    public static func internalError(_ message: String) -> WWError { WWError(.internalError, message) }
    public static func temporaryFailure(_ message: String) -> WWError { WWError(.temporaryFailure, message) }
    public static func negative(_ message: String) -> WWError { WWError(.negative, message) }
    public static func permissionDenied(_ message: String) -> WWError { WWError(.permissionDenied, message) }
    public static let interrupted = WWError(.interrupted, "interrupted")
}
