/// What a `KeyClassifier` found a key to be: what a walk over millions of keys
/// tallies per key, without the parameter strings and arrays `parse` builds.
///
/// It agrees with `parse` on every key: `parse` says `.family(f, …)` exactly when this
/// says `.family(index:)` with `families[index].name == f.name`, and so on for the other
/// cases (the tests check it on every family's samples, hostile keys and prefixes).
public struct KeyClass: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A key of a family in canonical form. `index` is the position in the registry's
        /// `families` of the first family of that name.
        case family(index: Int)
        /// A legacy form (`legacyForms[formIndex]`) of the family at `familyIndex`.
        case legacy(familyIndex: Int, formIndex: Int)
        /// Cached financial data: `FinancialPolicy.rules[ruleIndex]`.
        case forbidden(ruleIndex: Int)
        /// wwctl's own bookkeeping (see `InternalKeys`).
        case `internal`
        /// No family.
        case unknown
    }

    public let kind: Kind
    /// The most TTL the family's policy allows this key, in seconds (what
    /// `TTLPolicy.seconds(for:)` gives for its parameters); nil for policies that bound
    /// nothing by themselves (`untilTokenExpiry`, `none`) and for keys of no family.
    public let ttlLimitSeconds: Int?

    public init(kind: Kind, ttlLimitSeconds: Int? = nil) {
        self.kind = kind
        self.ttlLimitSeconds = ttlLimitSeconds
    }

    public static let unknown = KeyClass(kind: .unknown)

    /// The family's index (canonical for a legacy form), or nil.
    public var familyIndex: Int? {
        switch kind {
        case .family(let index): index
        case .legacy(let index, _): index
        case .forbidden, .internal, .unknown: nil
        }
    }

    public var isLegacy: Bool {
        if case .legacy = kind { return true }
        return false
    }
}

/// What each key of a walk is, for one registry and key prefix (`BoundKeyspace.classifier()`),
/// as `BoundKeyspace.parse` would say without building its parameters, with the registry's
/// templates compiled to byte comparisons: classifying a key allocates nothing (except
/// for a family whose TTL depends on a parameter, which looks its value up by string).
///
/// Every step mirrors `BoundKeyspace.parse`: UTF-8 check, prefix, wwctl's internal
/// keys, candidates by first segment (families in order, then legacy forms), then the
/// financial policy.
public struct KeyClassifier: Sendable {
    public let prefix: KeyPrefix

    /// Literal segments and enumeration values, referred to by ranges.
    private let pool: [UInt8]
    private let enumerations: [Range<Int>]
    private let steps: [Step]
    private let candidates: [Candidate]
    private let groups: [Group]
    private let parameterTables: [ParameterTable]
    /// Lower-case words of the financial rules (in `pool`) with their rule's index, in
    /// rule order within each length; `financialByLength[n]` are those of `n` bytes.
    private let financialWords: [(rule: Int, word: Range<Int>)]
    private let financialByLength: [Range<Int>]

    /// What a template segment needs of the key.
    private enum Step {
        case literal(Range<Int>)
        /// One `:`-free segment.
        case value(Check)
        /// The rest of the key (a final `.rest`).
        case rest(Check)
        /// A final subject and endpoint (`ParameterKind.subject`).
        case subject(Check, endpoint: Check)
    }

    private enum Check {
        case integer, month, enumeration(Range<Int>), decimal, token, nonEmpty, subject
    }

    private struct Candidate {
        /// Nil for a template that can never match (a misplaced `.rest` or `.subject`).
        var steps: Range<Int>?
        var kind: KeyClass.Kind
        var limit: Limit
    }

    private enum Limit {
        case fixed(Int)
        /// `parameterTables[table]` by the value of the parameter of that ordinal.
        case byParameter(ordinal: Int?, table: Int)
        case unbounded
    }

    private struct ParameterTable {
        var values: [String: Int]
        var otherwise: Int
    }

    /// Candidates whose template's first segment is the literal `literal` (empty for
    /// templates that start with a parameter), in the order `parse` tries them.
    private struct Group {
        var literal: Range<Int>
        var candidates: Range<Int>
    }

    init(registry: KeyspaceRegistry, prefix: KeyPrefix) {
        self.prefix = prefix
        var pool: [UInt8] = []
        var enumerations: [Range<Int>] = []
        var steps: [Step] = []
        var tables: [ParameterTable] = []

        func store(_ bytes: some Collection<UInt8>) -> Range<Int> {
            let start = pool.count
            pool.append(contentsOf: bytes)
            return start..<pool.count
        }
        func check(_ kind: ParameterKind) -> Check {
            switch kind {
            case .integer: return .integer
            case .month: return .month
            case .enumeration(let values):
                let start = enumerations.count
                for value in values { enumerations.append(store(value.utf8)) }
                return .enumeration(start..<enumerations.count)
            case .decimal: return .decimal
            case .token: return .token
            case .rest: return .nonEmpty
            case .subject: return .subject
            }
        }
        /// Compiles `template` the way `KeyTemplate.match` reads it.
        func compile(_ template: KeyTemplate) -> Range<Int>? {
            let start = steps.count
            let segments = template.segments
            var position = 0
            while position < segments.count {
                switch segments[position] {
                case .literal(let text):
                    steps.append(.literal(store(text.utf8)))
                case .parameter(let parameter):
                    switch parameter.kind {
                    case .rest:
                        guard position == segments.count - 1 else { return nil }
                        steps.append(.rest(.nonEmpty))
                    case .subject:
                        guard position == segments.count - 2,
                              case .parameter(let endpoint) = segments[position + 1], endpoint.kind == .rest
                        else { return nil }
                        steps.append(.subject(.subject, endpoint: check(endpoint.kind)))
                        position += 1
                    default:
                        steps.append(.value(check(parameter.kind)))
                    }
                }
                position += 1
            }
            return start..<steps.count
        }
        func limit(_ policy: TTLPolicy, _ template: KeyTemplate) -> Limit {
            switch policy {
            case .fixed(let seconds):
                return .fixed(seconds)
            case .perParameter(let name, let values, let otherwise):
                tables.append(ParameterTable(values: values, otherwise: otherwise))
                return .byParameter(ordinal: template.parameters.firstIndex { $0.name == name }, table: tables.count - 1)
            case .untilTokenExpiry, .none:
                return .unbounded
            }
        }

        var firstIndex: [String: Int] = [:]
        for (index, family) in registry.families.enumerated() where firstIndex[family.name] == nil {
            firstIndex[family.name] = index
        }
        var byLiteral: [(literal: [UInt8], candidates: [Candidate])] = []
        func add(_ candidate: Candidate, first literal: String) {
            let bytes = Array(literal.utf8)
            if let at = byLiteral.firstIndex(where: { $0.literal == bytes }) {
                byLiteral[at].candidates.append(candidate)
            } else {
                byLiteral.append((bytes, [candidate]))
            }
        }
        for family in registry.families {
            let candidate = Candidate(
                steps: compile(family.template), kind: .family(index: firstIndex[family.name]!),
                limit: limit(family.ttl, family.template))
            add(candidate, first: family.template.leadingLiterals.first ?? "")
        }
        for (formIndex, form) in registry.legacyForms.enumerated() {
            guard let familyIndex = firstIndex[form.canonicalFamily] else { continue }
            let candidate = Candidate(
                steps: compile(form.template), kind: .legacy(familyIndex: familyIndex, formIndex: formIndex),
                limit: limit(registry.families[familyIndex].ttl, form.template))
            add(candidate, first: form.template.leadingLiterals.first ?? "")
        }
        var candidates: [Candidate] = []
        var groups: [Group] = []
        for (literal, members) in byLiteral {
            let start = candidates.count
            candidates += members
            groups.append(Group(literal: store(literal), candidates: start..<candidates.count))
        }
        var words: [(rule: Int, word: Range<Int>)] = []
        var byLength: [Range<Int>] = []
        for length in 0...Self.longestFinancialWord {
            let start = words.count
            for (index, rule) in FinancialPolicy.rules.enumerated() {
                for word in rule.words.sorted() where word.utf8.count == length {
                    words.append((index, store(word.utf8)))
                }
            }
            byLength.append(start..<words.count)
        }
        self.financialWords = words
        self.financialByLength = byLength
        self.pool = pool
        self.enumerations = enumerations
        self.steps = steps
        self.candidates = candidates
        self.groups = groups
        self.parameterTables = tables
    }

    /// `FinancialPolicy.rule(forBody:)` looks at segments of 6 to 24 bytes.
    private static let shortestFinancialWord = 6
    private static let longestFinancialWord = 24

    /// What `key` (the whole key, prefix included) is.
    public func classify(_ key: UnsafeRawBufferPointer) -> KeyClass {
        let prefix = self.prefix.bytes
        guard ByteGrammar.isValidUTF8(key), key.count >= prefix.count else { return .unknown }
        let prefixMatches = prefix.withUnsafeBytes { ByteGrammar.equal(key, 0, $0, 0, count: $0.count) }
        guard prefixMatches else { return .unknown }
        let body = prefix.count
        if isInternal(key, body: body) { return KeyClass(kind: .internal) }
        let firstEnd = ByteGrammar.colon(in: key, from: body) ?? key.count
        if let group = group(literal: key, body..<firstEnd) {
            for index in group.candidates {
                if let found = match(candidates[index], key, body: body) { return found }
            }
        }
        if let rule = financialRule(key, body: body) { return KeyClass(kind: .forbidden(ruleIndex: rule)) }
        return .unknown
    }

    // MARK: steps

    private func group(literal key: UnsafeRawBufferPointer, _ range: Range<Int>) -> Group? {
        for group in groups where group.literal.count == range.count {
            if equal(key, range, group.literal) { return group }
        }
        return nil
    }

    private func equal(_ key: UnsafeRawBufferPointer, _ range: Range<Int>, _ stored: Range<Int>) -> Bool {
        guard range.count == stored.count else { return false }
        return pool.withUnsafeBytes { ByteGrammar.equal(key, range.lowerBound, $0, stored.lowerBound, count: range.count) }
    }

    /// `KeyTemplate.match` on the parts of `key` after `body`, read one at a time.
    private func match(_ candidate: Candidate, _ key: UnsafeRawBufferPointer, body: Int) -> KeyClass? {
        guard let range = candidate.steps else { return nil }
        let end = key.count
        // The part being read starts at `start`; `hasPart` is false once all are read.
        var start = body
        var hasPart = true
        var ordinal = 0
        var wanted: Int?
        if case .byParameter(let parameter, _) = candidate.limit { wanted = parameter }
        var captured: Range<Int>?
        for index in range {
            guard hasPart else { return nil }
            switch steps[index] {
            case .literal(let literal):
                let partEnd = ByteGrammar.colon(in: key, from: start) ?? end
                guard equal(key, start..<partEnd, literal) else { return nil }
                (start, hasPart) = partEnd < end ? (partEnd + 1, true) : (end, false)
            case .value(let check):
                let partEnd = ByteGrammar.colon(in: key, from: start) ?? end
                guard accepts(check, key, start..<partEnd) else { return nil }
                if ordinal == wanted { captured = start..<partEnd }
                ordinal += 1
                (start, hasPart) = partEnd < end ? (partEnd + 1, true) : (end, false)
            case .rest(let check):
                guard accepts(check, key, start..<end) else { return nil }
                if ordinal == wanted { captured = start..<end }
                ordinal += 1
                hasPart = false
            case .subject(let subject, let endpoint):
                guard let split = splitSubject(key, from: start, subject: subject, endpoint: endpoint) else { return nil }
                if ordinal == wanted { captured = split.subject }
                if ordinal + 1 == wanted { captured = split.rest }
                return found(candidate, key, captured)
            }
        }
        return hasPart ? nil : found(candidate, key, captured)
    }

    private func found(_ candidate: Candidate, _ key: UnsafeRawBufferPointer, _ captured: Range<Int>?) -> KeyClass {
        switch candidate.limit {
        case .fixed(let seconds):
            return KeyClass(kind: candidate.kind, ttlLimitSeconds: seconds)
        case .byParameter(_, let index):
            let table = parameterTables[index]
            let seconds = captured.flatMap { table.values[String(decoding: UnsafeRawBufferPointer(rebasing: key[$0]), as: UTF8.self)] }
            return KeyClass(kind: candidate.kind, ttlLimitSeconds: seconds ?? table.otherwise)
        case .unbounded:
            return KeyClass(kind: candidate.kind)
        }
    }

    /// `KeyTemplate.splitSubject`: the endpoint starts at the first later part that is an
    /// HTTP method or a path and leaves a valid subject before it; else after the first part.
    private func splitSubject(
        _ key: UnsafeRawBufferPointer, from start: Int, subject: Check, endpoint: Check
    ) -> (subject: Range<Int>, rest: Range<Int>)? {
        let end = key.count
        guard let firstColon = ByteGrammar.colon(in: key, from: start) else { return nil }
        var partStart = firstColon + 1
        while true {
            let partEnd = ByteGrammar.colon(in: key, from: partStart) ?? end
            if ByteGrammar.startsEndpoint(UnsafeRawBufferPointer(rebasing: key[partStart..<partEnd])) {
                let split = (start..<(partStart - 1), partStart..<end)
                if accepts(subject, key, split.0) && accepts(endpoint, key, split.1) { return split }
            }
            guard partEnd < end else { break }
            partStart = partEnd + 1
        }
        let split = (start..<firstColon, (firstColon + 1)..<end)
        return accepts(subject, key, split.0) && accepts(endpoint, key, split.1) ? split : nil
    }

    /// `ParameterKind.accepts(bytes:)`.
    private func accepts(_ check: Check, _ key: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let value = UnsafeRawBufferPointer(rebasing: key[range])
        switch check {
        case .integer: return ParameterKind.isCanonicalInteger(value)
        case .month: return ByteGrammar.isMonth(value)
        case .enumeration(let values):
            for index in values where equal(key, range, enumerations[index]) { return true }
            return false
        case .decimal: return ByteGrammar.isJSDecimal(value)
        case .token: return ByteGrammar.colon(in: value, from: 0) == nil
        case .nonEmpty: return true
        case .subject:
            return ParameterKind.isCanonicalInteger(value) || ByteGrammar.isIPv4(value) || ByteGrammar.isIPv6(value)
        }
    }

    /// `InternalKeys.kind(ofBody:)` is not nil: `wwctl:` and a non-empty kind.
    private func isInternal(_ key: UnsafeRawBufferPointer, body: Int) -> Bool {
        let head = InternalKeys.namespace.utf8
        guard key.count - body > head.count + 1 else { return false }
        var index = body
        for byte in head {
            guard key[index] == byte else { return false }
            index += 1
        }
        return key[index] == ByteGrammar.colon && key[index + 1] != ByteGrammar.colon
    }

    /// `FinancialPolicy.rule(forBody:)`: the first part (6 to 24 bytes) that is, in lower
    /// case, one of a rule's words.
    private func financialRule(_ key: UnsafeRawBufferPointer, body: Int) -> Int? {
        var start = body
        while true {
            let end = ByteGrammar.colon(in: key, from: start) ?? key.count
            let length = end - start
            if length >= Self.shortestFinancialWord && length <= Self.longestFinancialWord {
                let found = pool.withUnsafeBytes { pool -> Int? in
                    for index in financialByLength[length] {
                        let (rule, word) = financialWords[index]
                        var same = true
                        for offset in 0..<length where ByteGrammar.lowercased(key[start + offset]) != pool[word.lowerBound + offset] {
                            same = false
                            break
                        }
                        if same { return rule }
                    }
                    return nil
                }
                if let found { return found }
            }
            guard end < key.count else { return nil }
            start = end + 1
        }
    }
}
