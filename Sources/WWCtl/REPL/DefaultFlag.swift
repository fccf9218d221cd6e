/// A flag of `wwctl repl` passed on to the commands run inside it.
struct DefaultFlag: Sendable, Equatable {
    /// The spellings that count as already given (`-o`, `--output`), or that override the
    /// default (a line's `-q` overrides the session's `-v`).
    var spellings: [String]
    /// What is appended (`--output json`).
    var tokens: [String]

    /// `words` with `tokens` added when `command` takes the flag and `words` lack it.
    func apply(to words: [String], command: CommandSpec) -> [String] {
        guard let name = tokens.first, command.option(spelled: name) != nil else { return words }
        let given = words.contains { word in
            spellings.contains { spelling in
                word == spelling || word.hasPrefix(spelling + "=")
                    || (!spelling.hasPrefix("--") && word.hasPrefix(spelling) && word.count > spelling.count && !word.hasPrefix("--"))
            }
        }
        if given { return words }
        // Before a `--`, after which everything is positional.
        if let terminator = words.firstIndex(of: "--") {
            return Array(words[..<terminator]) + tokens + Array(words[terminator...])
        }
        return words + tokens
    }
}
