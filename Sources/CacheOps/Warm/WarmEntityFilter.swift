import Keyspace
import Support

/// The rows a re-warm pass reads: those of the entities whose keys it writes again, as a
/// condition on the declaration's key columns. Perm keys are re-read by membership
/// (`ou.user_id`, `ou.organization_id`), a product's keys by product, and so on; a
/// sweep's selector narrows by the parameters it fixes.
///
/// The values reach the COPY (which takes no parameters) as transaction settings set by
/// bound parameters, like the scope's id: arrays in PostgreSQL's text form, cast to the
/// parameter kind's type in the condition. No value is ever written into SQL.
struct WarmEntityFilter: Equatable {
    /// The condition on the query's rows.
    let condition: String
    /// The settings it reads (`wwctl.rewarm_0` …) and their values.
    let settings: [String]

    /// The filter for `interest`; nil when the pass reads every row (the whole family, or
    /// a family whose keys have no column: the category tree, the admin aggregates).
    static func make(_ plan: WarmPlan, _ interest: WarmInterest, in keyspace: BoundKeyspace) -> WarmEntityFilter? {
        let columns = plan.keyColumns
        guard !interest.all, !columns.isEmpty else { return nil }
        let parameters = plan.family.parameters
        var settings: [String] = []
        func setting(_ text: String, _ kind: ParameterKind, array: Bool) -> String {
            settings.append(text)
            return "current_setting('wwctl.rewarm_\(settings.count - 1)')::\(Self.type(of: kind))\(array ? "[]" : "")"
        }
        var disjuncts: [String] = []

        // Keys by name: the tuples of their column values.
        var tuples: [[String]] = []
        var seen = Set<[String]>()
        for key in interest.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let params = keyspace.params(of: key, in: plan.family), params.count == parameters.count else { continue }
            let tuple = columns.map { params[$0.parameter].value }
            if seen.insert(tuple).inserted { tuples.append(tuple) }
        }
        if !tuples.isEmpty {
            if columns.count == 1 {
                let array = setting(Self.arrayText(tuples.map { $0[0] }), parameters[columns[0].parameter].kind, array: true)
                disjuncts.append("\(columns[0].sql) = ANY(\(array))")
            } else {
                let arrays = columns.enumerated().map { position, column in
                    setting(Self.arrayText(tuples.map { $0[position] }), parameters[column.parameter].kind, array: true)
                }
                disjuncts.append("(\(columns.map(\.sql).joined(separator: ", "))) IN (SELECT * FROM unnest(\(arrays.joined(separator: ", "))))")
            }
        }

        // Selectors: the columns they fix; one that fixes none reads every row.
        for selector in interest.selectors {
            let fixed = columns.compactMap { column -> String? in
                guard let value = selector.first(where: { $0.name == parameters[column.parameter].name })?.value else {
                    return nil
                }
                return "\(column.sql) = \(setting(value, parameters[column.parameter].kind, array: false))"
            }
            guard !fixed.isEmpty else { return nil }
            disjuncts.append(fixed.joined(separator: " AND "))
        }
        guard !disjuncts.isEmpty else { return WarmEntityFilter(condition: "false", settings: []) }
        return WarmEntityFilter(condition: disjuncts.joined(separator: " OR "), settings: settings)
    }

    /// The SQL type a parameter's text is compared as: ids as bigint, prices as numeric
    /// (the key's `20` is the row's `20.00`), everything else as text.
    static func type(of kind: ParameterKind) -> String {
        switch kind {
        case .integer: "bigint"
        case .decimal: "numeric"
        default: "text"
        }
    }

    /// `{"a","b\"c"}`: PostgreSQL's array text with every element quoted.
    static func arrayText(_ elements: [String]) -> String {
        "{" + elements.map { element in
            var quoted = "\""
            for character in element {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }.joined(separator: ",") + "}"
    }
}
