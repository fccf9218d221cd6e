import ArgumentParser

/// A clearer one-line message for a usage mistake ArgumentParser words in its own terms:
/// a negative number (`products set-price 17 -3` reads as "Missing expected argument
/// '<price>'", since `-3` looks like an option).
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

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        return plain ? word : "'" + word.replacing("'", with: #"'\''"#) + "'"
    }
}
