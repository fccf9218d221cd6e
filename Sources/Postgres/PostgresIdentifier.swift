import Support

/// SQL identifiers (database, table, column names) cannot be parameters. Where one
/// must be spelled into a statement, it goes through here: double-quoted, inner
/// quotes doubled, so it is always one identifier whatever it contains.
public enum PostgresIdentifier {
    public static func quoted(_ name: String) throws(WWError) -> String {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw .dataError("postgres: \"\(name)\" is not a usable identifier")
        }
        var result = "\""
        for character in name {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result + "\""
    }
}
