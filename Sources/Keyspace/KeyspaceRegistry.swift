import Support

/// The registry of key families: lookup by name, parsing any key back into its family
/// and parameters, SCAN patterns, invalidation plans, the README table.
///
/// `KeyspaceRegistry.standard` holds the 27 families of docs/KEYSPACE.md; the static lookups
/// are shorthands for it. Keys, patterns and plans come from the registry bound to a key
/// prefix, `BoundKeyspace`.
public struct KeyspaceRegistry: Sendable {
    public let families: [KeyFamily]
    public let legacyForms: [LegacyForm]

    private let byName: [String: KeyFamily]
    /// Families and legacy forms by their first literal segment, for parsing.
    private let byFirstSegment: [String: [Candidate]]

    private enum Candidate: Sendable {
        case family(KeyFamily)
        case legacy(LegacyForm, KeyFamily)

        var template: KeyTemplate {
            switch self {
            case .family(let family): family.template
            case .legacy(let form, _): form.template
            }
        }
    }

    public init(families: [KeyFamily], legacyForms: [LegacyForm] = []) {
        self.families = families
        self.legacyForms = legacyForms
        var byName: [String: KeyFamily] = [:]
        for family in families where byName[family.name] == nil {
            byName[family.name] = family
        }
        self.byName = byName
        var byFirst: [String: [Candidate]] = [:]
        for family in families {
            byFirst[family.template.leadingLiterals.first ?? "", default: []].append(.family(family))
        }
        for form in legacyForms {
            guard let canonical = byName[form.canonicalFamily] else { continue }
            byFirst[form.template.leadingLiterals.first ?? "", default: []].append(.legacy(form, canonical))
        }
        self.byFirstSegment = byFirst
    }

    /// The families of docs/KEYSPACE.md in its order, and the legacy forms it names.
    public static let standard = KeyspaceRegistry(families: KeyFamily.all, legacyForms: LegacyForm.all)

    public var familyNames: [String] { families.map(\.name) }

    /// This registry under the app's key prefix: where keys, patterns and plans come from.
    public func bound(to prefix: KeyPrefix) -> BoundKeyspace {
        BoundKeyspace(registry: self, prefix: prefix)
    }

    // MARK: lookup

    public func family(named name: String) -> KeyFamily? { byName[name] }

    /// The family, or a usage error naming the nearest name (`unknown family 'prodcut',
    /// did you mean 'product'?`).
    public func requireFamily(named name: String) throws -> KeyFamily {
        if let family = byName[name] { return family }
        throw KeyspaceError.unknownFamily(name: name, suggestion: nearestFamilyName(to: name))
    }

    /// The family name closest to `name` by edit distance (adjacent swaps count once),
    /// case-insensitively; nil when none is close (more than a third of the name differs,
    /// at most 3 edits) or when `name` is itself a family.
    public func nearestFamilyName(to name: String) -> String? {
        if byName[name] != nil { return nil }
        let typed = Array(name.lowercased().unicodeScalars)
        guard !typed.isEmpty, typed.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for family in families {
            let distance = EditDistance.optimalStringAlignment(typed, Array(family.name.unicodeScalars))
            if distance < (best?.distance ?? Int.max) { best = (family.name, distance) }
        }
        guard let best else { return nil }
        let allowed = min(3, max(1, (max(typed.count, best.name.count) + 2) / 3))
        return best.distance <= allowed ? best.name : nil
    }

    // MARK: parsing

    /// What `key` (valid UTF-8) is under `prefix`; see `BoundKeyspace.parse`.
    func parse(utf8 key: [UInt8], under prefix: KeyPrefix) -> ParsedKey {
        guard let body = prefix.body(of: key) else { return .unknown }
        let start = body.startIndex
        if let kind = InternalKeys.kind(ofBody: body) { return .internal(kind: kind) }
        let parts = KeyBytes.split(key, from: start)
        let first = String(decoding: key[parts[0]], as: UTF8.self)
        for candidate in byFirstSegment[first] ?? [] {
            guard let params = candidate.template.match(bytes: key, parts: parts) else { continue }
            switch candidate {
            case .family(let family): return .family(family, params: params)
            case .legacy(let form, let family): return .legacy(aliasOf: family, params: params, form: form)
            }
        }
        if let rule = FinancialPolicy.rule(forBody: Array(body)) { return .forbidden(rule: rule) }
        return .unknown
    }

    /// Every family and legacy form whose template `key` fits (without prefix). The
    /// registry's templates are built so that this is at most one; its tests check it.
    public func allMatches(_ body: String) -> [ParsedKey] {
        let bytes = Array(body.utf8)
        let parts = KeyBytes.split(bytes)
        var out: [ParsedKey] = []
        for family in families {
            if let params = family.template.match(bytes: bytes, parts: parts) {
                out.append(.family(family, params: params))
            }
        }
        for form in legacyForms {
            guard let family = byName[form.canonicalFamily],
                  let params = form.template.match(bytes: bytes, parts: parts) else { continue }
            out.append(.legacy(aliasOf: family, params: params, form: form))
        }
        return out
    }

    // MARK: shorthands for the standard registry

    public static func family(named name: String) -> KeyFamily? { standard.family(named: name) }

    public static func requireFamily(named name: String) throws -> KeyFamily {
        try standard.requireFamily(named: name)
    }

    public static func nearestFamilyName(to name: String) -> String? { standard.nearestFamilyName(to: name) }
}
