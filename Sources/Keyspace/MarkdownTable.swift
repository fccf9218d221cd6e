extension KeyspaceRegistry {
    /// The README's key table, one row per family in registry order:
    /// `| family | key template | TTL | tier | warmable |`. Deterministic, ends with a newline.
    public func markdownTable() -> String {
        var lines = [
            "| family | key template | TTL | tier | warmable |",
            "|---|---|---|---|---|",
        ]
        for family in families {
            let cells = [
                family.name,
                "`" + family.pattern + "`",
                family.ttl.description,
                family.tier.rawValue,
                family.warmability.description,
            ]
            lines.append("| " + cells.map(Self.markdownCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func markdownTable() -> String { standard.markdownTable() }

    /// A table cell: pipes escaped, line breaks flattened.
    static func markdownCell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
