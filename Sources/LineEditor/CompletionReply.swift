import Glibc

/// The answer to one Tab press.
public struct CompletionReply: Sendable, Equatable {
    /// Inserted at the cursor: the rest of the candidates' common prefix, already quoted
    /// for where the cursor is (and with the closing quote when `isComplete`).
    public var insertion: String
    /// Every matching value, shown as a list on a second Tab when there are several.
    public var candidates: [String]
    /// The word is finished (one candidate): a space follows the insertion.
    public var isComplete: Bool

    public init(insertion: String, candidates: [String], isComplete: Bool) {
        self.insertion = insertion
        self.candidates = candidates
        self.isComplete = isComplete
    }
}

/// The `char **` array libedit's completion hook returns: entry 0 replaces the word
/// libedit found before the cursor, the others are listed; a single entry counts as a
/// unique match (libedit then appends `rl_completion_append_character`).
enum CompletionMatches {
    /// The entries for `reply`, given `word`, the raw text libedit deletes before inserting
    /// entry 0. Entry 0 is that same text plus the insertion, so the net edit is exactly
    /// the insertion wherever libedit thinks the word starts. nil: nothing to do.
    static func entries(word: String, reply: CompletionReply) -> [String]? {
        if reply.candidates.isEmpty { return nil }
        let replacement = word + reply.insertion
        if reply.isComplete || reply.candidates.count == 1 { return [replacement] }
        return [replacement] + reply.candidates
    }

    /// A malloc'd, NULL-terminated copy that libedit frees. Two NULLs end it: libedit
    /// tests `matches[2] == NULL` before `matches[1]`, so a single match needs three slots.
    static func cArray(_ entries: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let slots = entries.count + 2
        guard let raw = malloc(slots * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: slots)
        for i in 0..<slots {
            array[i] = i < entries.count ? strdup(entry: entries[i]) : nil
        }
        return array
    }

    private static func strdup(entry: String) -> UnsafeMutablePointer<CChar>? {
        Glibc.strdup(entry)
    }
}
