import Keyspace
import Redis
import Support

/// One thing `cache lint` found about one key.
public struct LintFinding: Sendable, Equatable {
    public enum Severity: String, Sendable, Equatable, Encodable {
        case error, warning
    }

    public var severity: Severity
    /// A stable id (`missing-ttl`, `cached-vendor-balance`); see `LintRule`.
    public var rule: String
    /// The key as people read it (`KeyText.escaped`).
    public var key: String
    /// One line, without the key.
    public var message: String

    public init(severity: Severity, rule: String, key: String, message: String) {
        self.severity = severity
        self.rule = rule
        self.key = key
        self.message = message
    }
}

/// The rules of `cache lint`.
public enum LintRule {
    /// Error: a key of a family whose policy requires a TTL has none.
    public static let missingTTL = "missing-ttl"
    /// Error: a key's TTL is above what its family's policy allows it.
    public static let ttlAbovePolicy = "ttl-above-policy"
    /// Warning: a key of no family (not under the key prefix, or of no known shape).
    public static let unknownKey = "unknown-key"
    /// Warning: a key in a legacy form of a family (`user:{userId}:orgs`).
    public static let legacyKeyForm = "legacy-key-form"
    /// Warning: a value above `--max-value-bytes`.
    public static let valueTooLarge = "value-too-large"
    // Errors for cached financial data use the ids of `FinancialPolicy.rules`
    // (`cached-vendor-balance`, `cached-payout`, `cached-payment`, `cached-balance-transaction`).

    /// Every rule id with its severity, errors first.
    public static var all: [(rule: String, severity: LintFinding.Severity)] {
        FinancialPolicy.rules.map { ($0.id, .error) }
            + [(missingTTL, .error), (ttlAbovePolicy, .error),
               (unknownKey, .warning), (legacyKeyForm, .warning), (valueTooLarge, .warning)]
    }
}

/// What `cache lint` found in one walk of the keyspace.
public struct LintReport: Sendable {
    /// Errors first, then warnings, each in walk order; at most `maxFindings` of them.
    public var findings: [LintFinding]
    /// All errors and warnings found, whether listed or not.
    public var errors: Int
    public var warnings: Int
    /// Findings per rule id, for every rule that fired.
    public var byRule: [String: Int]
    public var walk: WalkSummary
    public var maxFindings: Int
    public var maxValueBytes: Int

    /// True when some findings were left out of `findings`.
    public var truncated: Bool { findings.count < errors + warnings }
}

/// `cache lint`: every key of the database checked against the keyspace registry's policy.
///
/// Per key one PTTL and one MEMORY USAGE (the size check; unlike STRLEN it neither
/// counts a lookup nor touches LRU/LFU, and works for every type), pipelined with the
/// walk; see `KeyspaceWalker` for what Redis 7.0 counts.
public enum KeyspaceLint {
    public static let defaultMaxValueBytes = 512 * 1024
    public static let defaultMaxFindings = 1000

    public static func run(
        connection: RedisConnection, keyspace: BoundKeyspace,
        maxValueBytes: Int = defaultMaxValueBytes, maxFindings: Int = defaultMaxFindings,
        progress: (Int) -> Void = { _ in }
    ) throws -> LintReport {
        guard maxValueBytes > 0 else { throw WWError.usage("--max-value-bytes must be at least 1") }
        guard maxFindings >= 0 else { throw WWError.usage("--max-findings must be 0 or more") }
        var errors: [LintFinding] = []
        var warnings: [LintFinding] = []
        var errorCount = 0
        var warningCount = 0
        var byRule: [String: Int] = [:]
        var walked = 0

        func add(_ severity: LintFinding.Severity, _ rule: String, _ key: UnsafeRawBufferPointer, _ message: @autoclosure () -> String) {
            byRule[rule, default: 0] += 1
            switch severity {
            case .error:
                errorCount += 1
                if errors.count < maxFindings { errors.append(LintFinding(severity: .error, rule: rule, key: KeyText.escaped(Array(key)), message: message())) }
            case .warning:
                warningCount += 1
                if warnings.count < maxFindings { warnings.append(LintFinding(severity: .warning, rule: rule, key: KeyText.escaped(Array(key)), message: message())) }
            }
        }

        let registry = keyspace.registry
        let prefix = keyspace.prefix
        let keys = keyspace.classifier()
        let policies = registry.families.map { String(describing: $0.ttl) }
        let walker = KeyspaceWalker(connection: connection)
        let summary = try walker.walk(memoryForEveryKey: true, classify: { key in
            (LintTag(keys.classify(key)), false)
        }) { item, tag in
            walked += 1
            if walked % 10_000 == 0 { progress(walked) }
            let key = item.bytes
            let ttl = item.pttlMs
            switch tag {
            case .forbidden(let rule, let title):
                add(.error, rule, key, "\(title): financial data is always read from PostgreSQL, never cached")
            case .family(let index, let limitMs, let legacyForm):
                let family = registry.families[index]
                let name = family.name
                if let legacyForm {
                    // Only a listed finding needs the parameters, to name the canonical key.
                    add(.warning, LintRule.legacyKeyForm, key,
                        "legacy form \(registry.legacyForms[legacyForm].form) of \(name); the app writes "
                            + (keyspace.canonicalKey(of: keyspace.parse(Array(key))).map(KeyText.escaped) ?? family.pattern))
                }
                if ttl == -1 && family.ttl.requiresTTL {
                    add(.error, LintRule.missingTTL, key, "no TTL; the \(name) policy is \(policies[index])")
                } else if let limitMs, ttl > limitMs {
                    add(.error, LintRule.ttlAbovePolicy, key,
                        "TTL \(seconds(ttl)) is above the \(name) policy's \(seconds(limitMs))")
                }
            case .wwctlInternal:
                break
            case .unknown:
                add(.warning, LintRule.unknownKey, key,
                    prefix.isEmpty || prefix.isPrefix(of: key)
                        ? "belongs to no key family" : "belongs to no key family (not under the key prefix '\(prefix)')")
            }
            if let bytes = item.memoryBytes, bytes > maxValueBytes {
                add(.warning, LintRule.valueTooLarge, key,
                    "uses \(bytes) bytes (MEMORY USAGE), above the limit of \(maxValueBytes)")
            }
        }
        progress(walked)
        let findings = Array((errors + warnings).prefix(maxFindings))
        return LintReport(
            findings: findings, errors: errorCount, warnings: warningCount, byRule: byRule, walk: summary,
            maxFindings: maxFindings, maxValueBytes: maxValueBytes)
    }

    /// Whole seconds, rounded up so that a TTL above a limit never reads as equal to it.
    private static func seconds(_ ms: Int64) -> String {
        "\((ms + 999) / 1000) s"
    }
}

/// What lint needs to know about a key.
enum LintTag {
    /// `index` in the registry's families; `legacyForm` in its legacy forms.
    case family(index: Int, limitMs: Int64?, legacyForm: Int?)
    case forbidden(rule: String, title: String)
    /// wwctl's own bookkeeping (invalidation epochs, warm locks): never a finding.
    case wwctlInternal
    case unknown

    init(_ found: KeyClass) {
        let limitMs = found.ttlLimitSeconds.map { Int64($0) * 1000 }
        switch found.kind {
        case .family(let index):
            self = .family(index: index, limitMs: limitMs, legacyForm: nil)
        case .legacy(let index, let formIndex):
            self = .family(index: index, limitMs: limitMs, legacyForm: formIndex)
        case .forbidden(let ruleIndex):
            let rule = FinancialPolicy.rules[ruleIndex]
            self = .forbidden(rule: rule.id, title: rule.title)
        case .internal:
            self = .wwctlInternal
        case .unknown:
            self = .unknown
        }
    }
}
