/// Builds the Prometheus text exposition format (version 0.0.4), which node_exporter's
/// textfile collector reads: for each metric a `# HELP` and a `# TYPE` line, then its
/// samples, every series once. Names get the `wwctl_` prefix; counters end in `_total`.
public struct PrometheusText: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    public typealias Labels = [(name: String, value: String)]

    public private(set) var text = ""
    private var written: Set<String> = []

    public init() {}

    /// Writes one metric with its samples. `name` is without the `wwctl_` prefix. A
    /// metric without samples is left out entirely; a name already written is ignored
    /// (each metric must appear as one group).
    public mutating func metric(_ name: String, _ kind: Kind, help: String, samples: [(Labels, Double)]) {
        let full = "wwctl_" + name
        guard !samples.isEmpty, !written.contains(full) else { return }
        written.insert(full)
        text += "# HELP \(full) \(Self.escapeHelp(help))\n"
        text += "# TYPE \(full) \(kind.rawValue)\n"
        for (labels, value) in samples {
            text += full
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.name)=\"\(Self.escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.format(value) + "\n"
        }
    }

    /// A metric with one unlabelled sample; nothing when `value` is nil.
    public mutating func metric(_ name: String, _ kind: Kind, help: String, value: Double?) {
        guard let value else { return }
        metric(name, kind, help: help, samples: [([], value)])
    }

    public mutating func metric(_ name: String, _ kind: Kind, help: String, value: Int?) {
        metric(name, kind, help: help, value: value.map(Double.init))
    }

    /// Integers without a fraction (`12`), others as Go's ParseFloat reads them.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// HELP text: backslash and line feed escaped.
    static func escapeHelp(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n", "\r\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Label values: backslash, double quote and line feed escaped.
    static func escapeLabel(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n", "\r\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
