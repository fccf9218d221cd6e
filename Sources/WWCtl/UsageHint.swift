import ArgumentParser

/// Clearer one-line messages for two usage mistakes ArgumentParser words in its own terms:
/// a negative number (`products set-price 17 -3` reads as "Missing expected argument
/// '<price>'", since `-3` looks like an option) and options written before the command
/// (`wwctl --profile prod cache warm` reads as "Unknown option '--profile'").
enum UsageHint {
    /// The message for a negative number given where ArgumentParser saw an option.
    static func negativeNumber(_ arguments: [String], parserMessage: String) -> String? {
        let confused = ["Missing expected argument", "Missing value for", "Unknown option"]
        guard confused.contains(where: parserMessage.hasPrefix) else { return nil }
        guard let word = arguments.first(where: { $0.count > 1 && $0.hasPrefix("-") && Double($0) != nil }) else {
            return nil
        }
        return "'\(word)' is negative: ids, prices, amounts, quantities and limits never are"
    }

    /// The message for options placed before the command, with the line rewritten.
    static func optionsBeforeCommand(_ arguments: [String], parserMessage: String) -> String? {
        guard parserMessage.hasPrefix("Unknown option"), let first = arguments.first, first.hasPrefix("-") else {
            return nil
        }
        let commands = Set(CommandCatalog.commands.subcommands.map(\.name))
        guard let start = arguments.firstIndex(where: { commands.contains($0) }), start > 0 else { return nil }
        let rewritten = Array(arguments[start...]) + Array(arguments[..<start])
        let line = (["wwctl"] + rewritten.map(shellQuoted)).joined(separator: " ")
        return "\(parserMessage): options go after the command, as in: \(line)"
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        return plain ? word : "'" + word.replacing("'", with: #"'\''"#) + "'"
    }
}
