import ArgumentParser

extension Repl {
    /// Runs `.custom` completions in-process through ArgumentParser's `---completion`
    /// protocol. Called on the line editor's thread, which may block.
    static let argumentParserCompletion: Completer.CustomCompletion = { path, argument, words, index, typed in
        let arguments = ["---completion"] + path + ["--", argument, String(index), String(typed.count)] + words
        let output: String?
        do {
            _ = try RootCommand.parseAsRoot(arguments)
            output = nil
        } catch {
            output = RootCommand.exitCode(for: error) == .success ? RootCommand.fullMessage(for: error) : nil
        }
        return output?.split(separator: "\n").map(String.init).filter { !$0.isEmpty } ?? []
    }
}
