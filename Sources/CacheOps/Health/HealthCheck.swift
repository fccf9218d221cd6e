import Support

/// A monitoring verdict, with the exit codes Nagios-style plugins use.
public enum HealthStatus: String, Sendable, Equatable, CaseIterable, Encodable {
    case ok, warning, critical, unknown

    /// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    public var exitCode: Int32 {
        switch self {
        case .ok: 0
        case .warning: 1
        case .critical: 2
        case .unknown: 3
        }
    }

    /// How bad, for picking the overall status: OK < WARNING < UNKNOWN < CRITICAL. An
    /// unknown check outranks a warning (something could not be judged at all) but not a
    /// known critical one.
    public var severity: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .unknown: 2
        case .critical: 3
        }
    }

    /// `OK`, `WARNING`, … as monitoring output spells it.
    public var label: String { rawValue.uppercased() }

    /// The worst of `statuses`; OK when there are none.
    public static func worst(_ statuses: some Sequence<HealthStatus>) -> HealthStatus {
        statuses.max { $0.severity < $1.severity } ?? .ok
    }
}

/// One line of `wwctl health`: `OK redis-hit-rate 0.93 >= 0.8`.
public struct HealthCheck: Sendable, Equatable {
    /// Stable, kebab-case (`redis-hit-rate`): monitoring rules match on it.
    public var name: String
    public var status: HealthStatus
    /// What was measured, when it is a number.
    public var value: Double?
    /// The limit the value was held against (the critical one when that was crossed).
    public var threshold: Double?
    /// One line for people: the comparison made, or what went wrong.
    public var message: String

    public init(name: String, status: HealthStatus, value: Double? = nil, threshold: Double? = nil, message: String) {
        self.name = name
        self.status = status
        self.value = value
        self.threshold = threshold
        self.message = message
    }
}

/// All checks and the overall verdict.
public struct HealthReport: Sendable, Equatable {
    public var checks: [HealthCheck]

    public init(checks: [HealthCheck]) { self.checks = checks }

    public var status: HealthStatus { HealthStatus.worst(checks.map(\.status)) }
}

/// Judges a value against a warning and a critical limit, either of which may be absent.
enum Limit {
    /// For "at least" limits (hit rate): below `critical` is CRITICAL, below `warning` WARNING.
    static func atLeast(
        _ name: String, value: Double, warning: Double?, critical: Double?, format: (Double) -> String, unit: String = ""
    ) -> HealthCheck {
        judge(name, value: value, warning: warning, critical: critical, format: format, unit: unit,
              crosses: { $0 < $1 }, bad: "<", good: ">=")
    }

    /// For "at most" limits (memory ratio, evictions): above `critical` is CRITICAL,
    /// above `warning` WARNING.
    static func atMost(
        _ name: String, value: Double, warning: Double?, critical: Double?, format: (Double) -> String, unit: String = ""
    ) -> HealthCheck {
        judge(name, value: value, warning: warning, critical: critical, format: format, unit: unit,
              crosses: { $0 > $1 }, bad: ">", good: "<=")
    }

    private static func judge(
        _ name: String, value: Double, warning: Double?, critical: Double?, format: (Double) -> String, unit: String,
        crosses: (Double, Double) -> Bool, bad: String, good: String
    ) -> HealthCheck {
        // `1 < 1` would be a true comparison badly written: the digits show it.
        func compared(_ limit: Double, _ sign: String) -> String {
            var (shown, limitShown) = (format(value), format(limit))
            if Double(shown) == Double(limitShown) || Double(limitShown) != limit {
                (shown, limitShown) = comparableDecimals(value, limit)
            }
            return "\(shown)\(unit) \(sign) \(limitShown)\(unit)"
        }
        if let critical, crosses(value, critical) {
            return HealthCheck(name: name, status: .critical, value: value, threshold: critical,
                               message: compared(critical, bad) + " (critical)")
        }
        if let warning, crosses(value, warning) {
            return HealthCheck(name: name, status: .warning, value: value, threshold: warning,
                               message: compared(warning, bad))
        }
        guard let limit = warning ?? critical else {
            return HealthCheck(name: name, status: .ok, value: value, message: format(value) + unit)
        }
        return HealthCheck(name: name, status: .ok, value: value, threshold: limit,
                           message: compared(limit, good))
    }
}
