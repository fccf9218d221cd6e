import ArgumentParser

extension Repl {
    /// Runs `.custom` completions in-process through ArgumentParser's `---completion`
    /// protocol. Called on the line editor's thread, which may block.
    static let argumentParserCompletion: Completer.CustomCompletion = { path, argument, words, index, typed in
        let arguments = ["---completion"] + path + ["--", argument, String(index), String(typed.count)] + words
        let output = Blocking.wait { () async -> String? in
            do {
                _ = try await RootCommand.asyncParseAsRoot(arguments)
                return nil
            } catch {
                guard RootCommand.exitCode(for: error) == .success else { return nil }
                return RootCommand.fullMessage(for: error)
            }
        }
        return output?.split(separator: "\n").map(String.init).filter { !$0.isEmpty } ?? []
    }
}
