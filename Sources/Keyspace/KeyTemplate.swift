/// A named, typed parameter of a key template.
public struct KeyParameter: Sendable, Hashable {
    public let name: String
    public let kind: ParameterKind

    public init(_ name: String, _ kind: ParameterKind) {
        self.name = name
        self.kind = kind
    }
}

/// One parameter's value in a parsed key, in template order.
public struct KeyParam: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\(value)" }
}

/// The shape of a family's keys: `:`-separated segments, each a literal word or a typed
/// parameter. `perm:{userId}:{orgId}:{resource}:{action}` is five segments.
///
/// Literal segments never contain `:`. At most the last parameter is `.rest`; a
/// `.subject` parameter must be immediately followed by a final `.rest` parameter.
public struct KeyTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(KeyParameter)

        public static func param(_ name: String, _ kind: ParameterKind) -> Segment {
            .parameter(KeyParameter(name, kind))
        }
    }

    public let segments: [Segment]

    public init(_ segments: [Segment]) {
        self.segments = segments
    }

    public init(_ segments: Segment...) {
        self.segments = segments
    }

    /// The display form: `perm:{userId}:{orgId}:{resource}:{action}`.
    public var pattern: String {
        segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let parameter): "{" + parameter.name + "}"
            }
        }.joined(separator: ":")
    }

    public var description: String { pattern }

    public var parameters: [KeyParameter] {
        segments.compactMap { segment in
            if case .parameter(let parameter) = segment { return parameter }
            return nil
        }
    }

    public var parameterNames: [String] { parameters.map(\.name) }

    public func parameter(named name: String) -> KeyParameter? {
        parameters.first { $0.name == name }
    }

    /// The literal segments before the first parameter (`["jwt", "blacklist"]`).
    public var leadingLiterals: [String] {
        var out: [String] = []
        for segment in segments {
            guard case .literal(let text) = segment else { break }
            out.append(text)
        }
        return out
    }

    /// Whether the template is well formed (see the type's documentation). The registry's
    /// templates are checked by its tests.
    public var isWellFormed: Bool {
        var names = Set<String>()
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                if text.isEmpty || text.contains(":") { return false }
            case .parameter(let parameter):
                if parameter.name.isEmpty || !names.insert(parameter.name).inserted { return false }
                switch parameter.kind {
                case .rest:
                    if index != segments.count - 1 { return false }
                case .subject:
                    guard index == segments.count - 2,
                          case .parameter(let next) = segments[index + 1], next.kind == .rest
                    else { return false }
                case .enumeration(let values):
                    if values.isEmpty || values.contains(where: { $0.isEmpty || $0.contains(":") }) { return false }
                default:
                    break
                }
            }
        }
        return !segments.isEmpty
    }

    // MARK: rendering

    /// The key for `params` (without any prefix). Every template parameter must be given
    /// and accepted by its kind; decimals are written in the app's JS number form. Throws
    /// `KeyspaceError` naming the parameter and value.
    public func render(_ params: [String: String]) throws -> String {
        for name in params.keys.sorted() where parameter(named: name) == nil {
            throw KeyspaceError.unknownParameter(template: pattern, name: name, known: parameterNames)
        }
        var parts: [String] = []
        var values: [KeyParam] = []
        for segment in segments {
            switch segment {
            case .literal(let text):
                parts.append(text)
            case .parameter(let parameter):
                guard let given = params[parameter.name] else {
                    throw KeyspaceError.missingParameter(template: pattern, name: parameter.name)
                }
                guard let value = parameter.kind.canonical(given) else {
                    throw KeyspaceError.invalidParameter(
                        template: pattern, name: parameter.name, value: given,
                        expected: parameter.kind.description)
                }
                parts.append(value)
                values.append(KeyParam(parameter.name, value))
            }
        }
        let key = parts.joined(separator: ":")
        // A subject holding ':' could be read back with a different split.
        guard match(Substring(key)) == values else {
            throw KeyspaceError.ambiguousKey(template: pattern, key: key)
        }
        return key
    }

    // MARK: matching

    /// The parameters of `body` (a key without prefix) when it has this template's shape
    /// and every value is accepted by its kind; nil otherwise. Compares bytes, as Redis does.
    public func match(_ body: some StringProtocol) -> [KeyParam]? {
        let bytes = Array(body.utf8)
        return match(bytes: bytes, parts: KeyBytes.split(bytes))
    }

    /// `fixed` values by parameter ordinal, for `match(bytes:parts:fixed:)`.
    func fixedByOrdinal(_ fixed: [String: [UInt8]]) -> [[UInt8]?] {
        parameters.map { fixed[$0.name] }
    }

    /// Whether `bytes` from `start` on has this template's shape (see `match(bytes:…)`),
    /// without building the parameter values.
    func fits(bytes: [UInt8], parts: [Range<Int>], fixed: [[UInt8]?]) -> Bool {
        match(bytes: bytes, parts: parts, fixed: fixed, collect: false) != nil
    }

    /// Matching where parameters with a value in `fixed` (by parameter ordinal; empty for
    /// none) must equal those bytes exactly, whatever their kind would say, and the others
    /// must be accepted by their kind. `parts` are the
    /// `:`-separated ranges of the key body within `bytes` (which may start with a prefix);
    /// a final `.rest` runs to the end of `bytes`. With `collect` false the values are not
    /// built and an empty array means a match.
    func match(bytes: [UInt8], parts: [Range<Int>], fixed: [[UInt8]?] = [], collect: Bool = true) -> [KeyParam]? {
        var values: [KeyParam] = []
        if collect { values.reserveCapacity(segments.count) }
        var index = 0
        var ordinal = 0

        func fits(_ parameter: KeyParameter, _ ordinal: Int, _ range: Range<Int>) -> Bool {
            if ordinal < fixed.count, let wanted = fixed[ordinal] { return bytes[range].elementsEqual(wanted) }
            return parameter.kind.accepts(bytes: bytes[range])
        }
        func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }

        for (position, segment) in segments.enumerated() {
            switch segment {
            case .literal(let literal):
                guard index < parts.count, bytes[parts[index]].elementsEqual(literal.utf8) else { return nil }
                index += 1
            case .parameter(let parameter):
                guard index < parts.count else { return nil }
                defer { ordinal += 1 }
                switch parameter.kind {
                case .rest:
                    guard position == segments.count - 1 else { return nil }
                    let range = parts[index].lowerBound..<bytes.count
                    guard fits(parameter, ordinal, range) else { return nil }
                    if collect { values.append(KeyParam(parameter.name, text(range))) }
                    index = parts.count
                case .subject:
                    guard position == segments.count - 2,
                          case .parameter(let endpoint) = segments[position + 1], endpoint.kind == .rest,
                          // The split is the one `parse` finds, from the kinds alone; only then
                          // are fixed values compared, so subject 7 never selects `7::1`'s keys.
                          let split = splitSubject(
                              bytes: bytes, parts: parts, from: index,
                              accept: { parameter.kind.accepts(bytes: bytes[$0]) && endpoint.kind.accepts(bytes: bytes[$1]) }),
                          fits(parameter, ordinal, split.subject), fits(endpoint, ordinal + 1, split.rest)
                    else { return nil }
                    if collect {
                        values.append(KeyParam(parameter.name, text(split.subject)))
                        values.append(KeyParam(endpoint.name, text(split.rest)))
                    }
                    return values
                default:
                    guard fits(parameter, ordinal, parts[index]) else { return nil }
                    if collect { values.append(KeyParam(parameter.name, text(parts[index]))) }
                    index += 1
                }
            }
        }
        return index == parts.count ? values : nil
    }

    /// The subject/endpoint split of `ParameterKind.subject`: candidate boundaries are the
    /// segments after `from` that start an endpoint, in order, then `from + 1`.
    private func splitSubject(
        bytes: [UInt8], parts: [Range<Int>], from: Int,
        accept: (Range<Int>, Range<Int>) -> Bool
    ) -> (subject: Range<Int>, rest: Range<Int>)? {
        guard from + 1 < parts.count else { return nil }
        func candidate(_ boundary: Int) -> (subject: Range<Int>, rest: Range<Int>)? {
            let subject = parts[from].lowerBound..<parts[boundary - 1].upperBound
            let rest = parts[boundary].lowerBound..<bytes.count
            return accept(subject, rest) ? (subject, rest) : nil
        }
        for boundary in (from + 1)..<parts.count where HTTPMethod.startsEndpoint(bytes[parts[boundary]]) {
            if let split = candidate(boundary) { return split }
        }
        return candidate(from + 1)
    }
}

/// Byte-level helpers: keys are binary-safe strings, and `:` splits them byte-wise
/// (a `:` followed by a combining mark is still a separator for Redis and the app).
enum KeyBytes {
    static let colon = UInt8(ascii: ":")

    /// The ranges between `:` bytes from `from` on (empty ranges kept: `a::b` has three parts).
    static func split(_ bytes: [UInt8], from: Int = 0) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = from
        var index = from
        while index < bytes.count {
            if bytes[index] == colon {
                parts.append(start..<index)
                start = index + 1
            }
            index += 1
        }
        parts.append(start..<bytes.count)
        return parts
    }

    /// Whether `bytes` is valid UTF-8, without building a String.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
