/// Shell-like words for REPL lines: blanks separate words; `'…'` is literal; `"…"` is
/// literal except that `\"` and `\\` stand for `"` and `\`; outside quotes a backslash
/// makes the next character literal. There is no expansion of any kind (`$`, `~`, `*`
/// are ordinary characters), so a key pattern is typed as it is.
enum ShellWords {
    enum Quote: Sendable, Equatable {
        case single, double

        var character: Character { self == .single ? "'" : "\"" }
    }

    enum SplitError: Error, Equatable {
        case unterminatedQuote(Quote)
        /// The line ends with a backslash outside quotes: it continues on the next line.
        case danglingBackslash
    }

    /// The words of `line`.
    static func split(_ line: String) throws(SplitError) -> [String] {
        let scan = Scan(line)
        if let quote = scan.openQuote { throw .unterminatedQuote(quote) }
        if scan.pendingBackslash { throw .danglingBackslash }
        return scan.words + (scan.inWord ? [scan.current] : [])
    }

    /// Whether `line` ends with a backslash outside quotes (a continuation).
    static func continues(_ line: String) -> Bool {
        let scan = Scan(line)
        return scan.pendingBackslash && scan.openQuote == nil
    }

    /// The state at the end of text being typed, for completion.
    struct Partial: Equatable {
        /// Finished words (followed by a blank).
        var words: [String]
        /// The value of the word under the cursor so far ("" right after a blank).
        var current: String
        /// The quote the cursor is inside, if any.
        var quote: Quote?
        /// The text ends with a lone backslash (the next character is escaped).
        var pendingBackslash: Bool
    }

    static func partial(_ text: String) -> Partial {
        let scan = Scan(text)
        return Partial(
            words: scan.words, current: scan.current, quote: scan.openQuote,
            pendingBackslash: scan.pendingBackslash)
    }

    /// `text` as it must be typed to extend a word whose cursor is inside `quote` (or
    /// unquoted): it becomes part of the word's value unchanged.
    static func escape(_ text: String, in quote: Quote?) -> String {
        var out = ""
        for character in text {
            switch quote {
            case .single:
                // Close, escaped quote, reopen.
                out += character == "'" ? "'\\''" : String(character)
            case .double:
                if character == "\"" || character == "\\" { out.append("\\") }
                out.append(character)
            case nil:
                if needsEscape(character) { out.append("\\") }
                out.append(character)
            }
        }
        return out
    }

    /// `word` written so that `split` gives it back: bare when it can be, else in single quotes.
    static func quoted(_ word: String) -> String {
        if !word.isEmpty, !word.contains(where: needsEscape) { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }

    private static func needsEscape(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "'"
            || character == "\"" || character == "\\"
    }

    /// One pass over the text; everything above reads its final state.
    private struct Scan {
        var words: [String] = []
        var current = ""
        /// A word has started (so `''` is an empty word, not nothing).
        var inWord = false
        var openQuote: Quote?
        var pendingBackslash = false

        init(_ text: String) {
            var escapeInDouble = false
            for character in text {
                if pendingBackslash {
                    current.append(character)
                    pendingBackslash = false
                    continue
                }
                switch openQuote {
                case .single:
                    if character == "'" { openQuote = nil } else { current.append(character) }
                case .double:
                    if escapeInDouble {
                        if character != "\"" && character != "\\" { current.append("\\") }
                        current.append(character)
                        escapeInDouble = false
                    } else if character == "\\" {
                        escapeInDouble = true
                    } else if character == "\"" {
                        openQuote = nil
                    } else {
                        current.append(character)
                    }
                case nil:
                    switch character {
                    case " ", "\t", "\n", "\r":
                        if inWord {
                            words.append(current)
                            current = ""
                            inWord = false
                        }
                    case "'":
                        openQuote = .single
                        inWord = true
                    case "\"":
                        openQuote = .double
                        inWord = true
                    case "\\":
                        pendingBackslash = true
                        inWord = true
                    default:
                        current.append(character)
                        inWord = true
                    }
                }
            }
            // A backslash that ends the text inside double quotes is still pending.
            if escapeInDouble { pendingBackslash = true }
        }
    }
}
