import Keyspace
import Support

/// One thing an operator asked `cache invalidate` to delete.
public enum InvalidationTarget: Sendable, Hashable {
    /// A glob pattern, taken literally (no key prefix added): found by a SCAN walk.
    case pattern([UInt8])
    /// One key, by name: deleted without a walk.
    case key([UInt8])
    /// A family's keys with some parameters fixed (the prefix is in the selector): found by
    /// a SCAN walk of the selector's pattern, each key checked by the selector's exact test.
    case selector(KeySelector)

    /// What an operator typed: a glob pattern when it holds an unescaped `*`, `?` or `[`,
    /// else the one key it names, escapes resolved (`product:\[1\]` names `product:[1]`):
    /// such a pattern matches exactly that key, so it is deleted by name, without a walk.
    /// With `exact`, the text is a key name whatever it holds.
    public static func classify(_ text: [UInt8], exact: Bool = false) -> InvalidationTarget {
        if exact { return .key(text) }
        return Glob.hasWildcards(text) ? .pattern(text) : .key(Glob.literalPrefix(of: text))
    }

    /// `--family F --param NAME=VALUE…`. Each value is checked by its parameter's kind and
    /// written as the app writes it (`price=20.00` → `20`); glob metacharacters in values
    /// are escaped in the pattern, and every key a walk finds must pass the family's exact
    /// test. When every parameter is given, the target is the one key they render.
    ///
    /// Throws `KeyspaceError`: an unknown family (usage, naming the nearest family) or
    /// parameter (usage), a value its kind refuses (data error); `WWError.usage` for a
    /// `--param` that is not `NAME=VALUE` or names a parameter twice.
    public static func family(
        _ name: String, params: [String], in keyspace: BoundKeyspace
    ) throws -> InvalidationTarget {
        let family = try keyspace.registry.requireFamily(named: name)
        var values: [String: String] = [:]
        for assignment in params {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw WWError.usage("--param '\(assignment)': expected NAME=VALUE (parameters of \(family.name): \(family.template.parameterNames.joined(separator: ", ")))")
            }
            let paramName = String(assignment[..<equals])
            let given = String(assignment[assignment.index(after: equals)...])
            guard let parameter = family.template.parameter(named: paramName) else {
                throw KeyspaceError.unknownParameter(template: family.pattern, name: paramName, known: family.template.parameterNames)
            }
            guard values[paramName] == nil else {
                throw WWError.usage("--param \(paramName) given twice")
            }
            guard let value = parameter.kind.canonical(given) else {
                throw KeyspaceError.invalidParameter(
                    template: family.pattern, name: paramName, value: given, expected: parameter.kind.description)
            }
            values[paramName] = value
        }
        let selector = try keyspace.selector(family, params: values)
        if selector.isExact {
            return .key(try keyspace.key(family, values))
        }
        return .selector(selector)
    }

    /// The SCAN pattern of a walk target; nil for a key.
    public var scanPattern: [UInt8]? {
        switch self {
        case .pattern(let pattern): pattern
        case .selector(let selector): selector.pattern
        case .key: nil
        }
    }

    /// Whether `key` is one this target deletes (a walk's exact test; a key target: equality).
    public func matches(_ key: [UInt8]) -> Bool {
        switch self {
        case .pattern(let pattern): Glob.scanMatches(pattern: pattern, key: key)
        case .selector(let selector): selector.matches(key)
        case .key(let name): name == key
        }
    }

    /// Whether a pattern has no literal text of its own beyond the key prefix: `*`, `*:x`,
    /// `?abc`, `[ab]*` and, with prefix `app:`, `app:*`. `cache invalidate` refuses such
    /// patterns unless `--all`, even with `--yes`.
    public func isMatchAll(in keyspace: BoundKeyspace) -> Bool {
        guard case .pattern(let pattern) = self else { return false }
        return keyspace.isMatchAll(pattern)
    }

    /// The families whose epochs an invalidation of this target bumps (before deleting):
    /// every family a pattern could reach, a selector's family, a key's family (none for a
    /// key of no family).
    public func families(in keyspace: BoundKeyspace) -> [String] {
        switch self {
        case .pattern(let pattern):
            keyspace.families(reachableBy: pattern)
        case .selector(let selector):
            [selector.family.name]
        case .key(let name):
            keyspace.parse(name).family.map { [$0.name] } ?? []
        }
    }
}
