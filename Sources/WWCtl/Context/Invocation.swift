/// Where a command line was typed, which decides how its messages refer to help and to
/// the line itself: `see 'wwctl cache --help'` in the shell, `see 'help cache'` inside the
/// REPL, and `line 7: wwctl: …` for line 7 of a REPL script.
public enum Invocation: Sendable, Equatable {
    case shell
    case repl
    case script(line: Int)

    /// How to ask for the help of the command `path` names (the top level when empty).
    public func helpCommand(_ path: [String]) -> String {
        switch self {
        case .shell: "'" + (["wwctl"] + path + ["--help"]).joined(separator: " ") + "'"
        case .repl, .script: "'" + (["help"] + path).joined(separator: " ") + "'"
        }
    }

    /// A command as it is typed here: `wwctl cache warm`, or `cache warm` in the REPL.
    public func command(_ path: [String]) -> String {
        (self == .shell ? ["wwctl"] + path : path).joined(separator: " ")
    }

    /// Written before every error message.
    public var errorPrefix: String {
        if case .script(let line) = self { return "line \(line): " }
        return ""
    }

    /// The script line, for the JSON error object.
    public var line: Int? {
        if case .script(let line) = self { return line }
        return nil
    }
}
