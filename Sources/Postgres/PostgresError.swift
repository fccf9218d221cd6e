import Support

/// A failure reported by PostgreSQL or by libpq, with the server's SQLSTATE when there
/// is one, so callers can retry (`isRetryable`) or explain (`isUniqueViolation`).
///
/// `message` is one line: `postgres 127.0.0.1:5432/waywise: <primary message> (SQLSTATE 23505)`.
/// The address never carries credentials, and text libpq quotes back from a malformed
/// conninfo is stripped of the target's passwords.
public struct PostgresError: CategorizedError {
    /// Five characters (`23505`), or nil for failures libpq detected itself
    /// (connection refused, connection lost).
    public var sqlState: String?
    /// The server's primary message, or libpq's, on one line.
    public var primary: String
    public var detail: String?
    public var hint: String?
    /// The violated constraint, for integrity errors.
    public var constraint: String?
    /// `host:port/db` of the server.
    public var address: String
    public var category: ErrorCategory

    public init(sqlState: String?, primary: String, detail: String? = nil, hint: String? = nil,
                constraint: String? = nil, address: String, category: ErrorCategory? = nil) {
        self.sqlState = sqlState
        self.primary = Self.oneLine(primary)
        self.detail = detail.map(Self.oneLine)
        self.hint = hint.map(Self.oneLine)
        self.constraint = constraint
        self.address = address
        self.category = category ?? Self.category(for: sqlState)
    }

    public var message: String {
        "postgres \(address): \(primary)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }

    /// Serialization failure or deadlock: running the transaction again may succeed.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// The statement was cancelled: by `cancel()` or by `statement_timeout`.
    public var isQueryCanceled: Bool { sqlState == "57014" }

    /// Connection and authentication problems mean the server is unavailable;
    /// constraint violations and invalid values are bad input data; conflicts between
    /// concurrent transactions and held locks are worth trying again later; anything
    /// else is a bug or a surprise.
    public static func category(for sqlState: String?) -> ErrorCategory {
        guard let sqlState else { return .internalError }
        switch sqlState {
        case "40001", "40P01", "55P03": return .temporaryFailure  // 55P03: a lock wait past lock_timeout
        case "57014": return .unavailable  // statement_timeout: no answer within --timeout
        case "57P01", "57P02", "57P03", "53300": return .unavailable
        case "42501": return .permissionDenied  // insufficient_privilege: a GRANT is missing
        default: break
        }
        switch sqlState.prefix(2) {
        case "08", "28", "3D": return .unavailable  // connection, authorization, no such database
        case "22", "23": return .dataError
        default: return .internalError
        }
    }

    /// A lock wait that ended (`lock_timeout`, or `NOWAIT`), saying which lock when the
    /// server's context names it: "row lock on organization_members held by another
    /// transaction (while updating tuple (0,3)); gave up after 2 s".
    static func lockWait(primary: String, context: String?, timeout: Double?) -> String {
        let waited = timeout.map { "; gave up after \(PostgresConnection.secondsText($0)) s (--timeout)" } ?? ""
        for line in (context ?? "").split(whereSeparator: \.isNewline) {
            guard let relationStart = line.firstRange(of: "in relation \"")?.upperBound,
                  let relationEnd = line[relationStart...].firstIndex(of: "\"") else { continue }
            let relation = line[relationStart..<relationEnd]
            let action = line.firstRange(of: " in relation").map { line[..<$0.lowerBound] } ?? line[...]
            let kind = action.contains("index tuple") || action.contains("uniqueness") ? "index entry lock" : "row lock"
            return "\(kind) on \(relation) held by another transaction (\(action))\(waited)"
        }
        if let onRow = primary.firstRange(of: "could not obtain lock on row in relation ") {
            return "row lock on \(primary[onRow.upperBound...].filter { $0 != "\"" }) held by another transaction"
        }
        return "a lock held by another transaction (\(primary))\(waited)"
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
