/// The keys of one family with some parameters fixed: a SCAN `MATCH` pattern to find
/// candidates, and an exact test for each candidate.
///
/// The pattern alone over-matches: `org:*` (family `org`, no parameters) also matches
/// `org:42:members` and `org:search:x`, and `*` matches `:`. `matches` is the exact
/// membership test the invalidation engine applies to every key SCAN returns before
/// deleting it: the key matches the pattern (Redis semantics) and, after the prefix, has
/// the family's shape, with the fixed parameters equal to the given text byte for byte
/// and every other parameter accepted by its kind.
///
/// Fixed values are not validated by kind here (`cache invalidate --param` validates them
/// first, `InvalidationTarget.family`); whatever they hold is matched literally:
/// `sessionId=a[1]*` gives `session:a\[1\]\*`, which matches `session:a[1]*` only.
/// Decimal values are written in the app's JS form when they are decimals (`price=20.00`
/// → `20`). A fixed value may not be empty, nor contain `:` unless its kind allows it.
public struct KeySelector: Sendable, Hashable, CustomStringConvertible {
    public let family: KeyFamily
    /// The fixed parameters in template order.
    public let fixed: [KeyParam]
    public let prefix: KeyPrefix
    /// The SCAN `MATCH` pattern: the escaped prefix, fixed values escaped, `*` elsewhere.
    public let pattern: [UInt8]

    /// Fixed values by parameter ordinal.
    private let fixedBytes: [[UInt8]?]

    /// Made by `BoundKeyspace.selector`.
    init(family: KeyFamily, params: [String: String], prefix: KeyPrefix) throws {
        let template = family.template
        for name in params.keys.sorted() where template.parameter(named: name) == nil {
            throw KeyspaceError.unknownParameter(template: template.pattern, name: name, known: template.parameterNames)
        }
        var fixed: [KeyParam] = []
        var parts: [String] = []
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                parts.append(Glob.escape(text))
            case .parameter(let parameter):
                guard let given = params[parameter.name] else {
                    parts.append("*")
                    continue
                }
                var value = given
                if case .decimal = parameter.kind, let js = JSNumberForm.string(fromDecimalText: given) {
                    value = js
                }
                if value.isEmpty || (!parameter.kind.allowsColon && value.utf8.contains(KeyBytes.colon)) {
                    throw KeyspaceError.invalidParameter(
                        template: template.pattern, name: parameter.name, value: given,
                        expected: parameter.kind.allowsColon ? "non-empty" : "non-empty text without ':'")
                }
                fixed.append(KeyParam(parameter.name, value))
                parts.append(Glob.escape(value))
            }
        }
        self.family = family
        self.fixed = fixed
        self.prefix = prefix
        self.pattern = Glob.escape(bytes: prefix.bytes) + Array(parts.joined(separator: ":").utf8)
        self.fixedBytes = template.fixedByOrdinal(
            Dictionary(fixed.map { ($0.name, Array($0.value.utf8)) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The pattern as text, for reports (bytes that are not UTF-8 shown as U+FFFD).
    public var patternText: String { String(decoding: pattern, as: UTF8.self) }

    /// Whether every parameter is fixed: the selector names exactly one key.
    public var isExact: Bool { fixed.count == family.template.parameters.count }

    /// Whether `key` is one of the selected keys (see the type's documentation).
    public func matches(_ key: String) -> Bool {
        matches(Array(key.utf8))
    }

    /// `matches` for a binary key from SCAN. Keys that are not valid UTF-8 never match.
    public func matches(_ key: [UInt8]) -> Bool {
        guard Glob.match(pattern: pattern, key: key),
              prefix.isPrefix(of: key),
              KeyBytes.isValidUTF8(key)
        else { return false }
        return family.template.fits(bytes: key, parts: KeyBytes.split(key, from: prefix.bytes.count), fixed: fixedBytes)
    }

    public var description: String { patternText }

    public static func == (lhs: KeySelector, rhs: KeySelector) -> Bool {
        lhs.family == rhs.family && lhs.fixed == rhs.fixed && lhs.prefix == rhs.prefix
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(family)
        hasher.combine(fixed)
        hasher.combine(prefix)
    }
}
