/// What a key is, read back by `BoundKeyspace.parse`; its canonical key is
/// `BoundKeyspace.canonicalKey(of:)`.
public enum ParsedKey: Sendable, Hashable, CustomStringConvertible {
    /// A key of a family, in canonical form, with its parameters in template order.
    case family(KeyFamily, params: [KeyParam])
    /// A legacy form of a family (`user:{userId}:orgs` for `user-orgs`); lint reports it.
    case legacy(aliasOf: KeyFamily, params: [KeyParam], form: LegacyForm)
    /// Cached financial data, which must never be cached; lint reports it as an error.
    case forbidden(rule: FinancialRule)
    /// wwctl's own bookkeeping under `wwctl:` (invalidation epochs, warm locks); see `InternalKeys`.
    case `internal`(kind: String)
    /// No family: wrong prefix, not valid UTF-8, a shape or value no family has.
    case unknown

    /// The family (canonical for legacy forms), or nil.
    public var family: KeyFamily? {
        switch self {
        case .family(let family, _): family
        case .legacy(let family, _, _): family
        case .forbidden, .internal, .unknown: nil
        }
    }

    /// The parameters in template order (empty for forbidden and unknown keys).
    public var params: [KeyParam] {
        switch self {
        case .family(_, let params): params
        case .legacy(_, let params, _): params
        case .forbidden, .internal, .unknown: []
        }
    }

    /// The parameters as a dictionary.
    public var paramDictionary: [String: String] {
        Dictionary(params.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// One parameter's value.
    public func value(of name: String) -> String? {
        params.first { $0.name == name }?.value
    }

    public var isLegacy: Bool {
        if case .legacy = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .family(let family, let params):
            return ([family.name] + params.map(\.description)).joined(separator: " ")
        case .legacy(let family, let params, let form):
            return (["\(family.name) (legacy \(form.form))"] + params.map(\.description)).joined(separator: " ")
        case .forbidden(let rule):
            return "forbidden: \(rule.title)"
        case .internal(let kind):
            return "wwctl \(kind)"
        case .unknown:
            return "unknown"
        }
    }
}
