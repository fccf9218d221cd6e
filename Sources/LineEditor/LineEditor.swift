import CLibedit
import Glibc
import Support
import Synchronization

/// Line editing on a terminal through libedit: emacs keys, arrows, history (Up/Down and
/// Ctrl-R incremental search), Tab completion supplied by the caller, and Ctrl-C that
/// abandons the line instead of signalling the process.
///
/// Why libedit's readline-compatible API: the native `el_set()`/`history()` calls are C
/// variadics, which Swift cannot call, while everything needed here (reading a line,
/// history, a completion hook, binding a key, terminal modes through `rl_parse_and_bind`)
/// has a plain C entry point in the readline layer. The price is that this layer is a
/// process-wide singleton, so there is at most one `LineEditor` per process.
///
/// Ctrl-C: libedit keeps ISIG on while editing, so Ctrl-C would raise SIGINT in the middle
/// of `el_gets`. The editor turns ISIG off for edit mode only (`setty -d -isig`; commands
/// still run with ISIG on, so Ctrl-C interrupts them) and binds the Ctrl-C byte to a
/// function that ends `readline()` and reports `.interrupted`. `readline()` resets the
/// terminal settings (and the Ctrl-R binding, from the tty's reprint character) on every
/// call, so both are applied again from `rl_pre_input_hook`, which runs after that reset.
///
/// Not thread-safe: one thread at a time calls `readLine`; the completer runs on that
/// thread, inside `readLine`.
public final class LineEditor {
    public enum Input: Sendable, Equatable {
        /// A line, without its newline.
        case line(String)
        /// Ctrl-C was pressed while editing; the line was abandoned.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    /// What Tab does for `lineBeforeCursor`: nil or no candidates leaves the line alone.
    public typealias Completer = (_ lineBeforeCursor: String) -> CompletionReply?

    /// Called on Tab with the text before the cursor.
    public var completer: Completer?

    public let historyLimit: Int
    private var lastHistoryEntry: String?

    private static let isOpen = Atomic<Bool>(false)

    /// Sets up libedit for this process. `historyLimit` bounds the in-memory history.
    /// Throws when another `LineEditor` was already created (libedit's readline layer has
    /// one global state).
    public init(programName: String, historyLimit: Int) throws {
        guard Self.isOpen.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            throw WWError.internalError("line editor: only one can be open per process")
        }
        self.historyLimit = max(1, historyLimit)
        Self.setLocale()
        // libedit keeps the pointers it is given for the life of the process.
        wwctl_rl_set_readline_name(strdup(programName))
        rl_initialize()
        stifle_history(Int32(clamping: self.historyLimit))
        // Words are split on blanks only: quotes and backslashes are the completer's business.
        wwctl_rl_set_word_break_characters(strdup(" \t\n"))
        wwctl_rl_set_attempted_completion(completionEntry)
        rl_add_defun(strdup("wwctl-interrupt"), interruptEntry, 3)
        wwctl_rl_set_pre_input_hook(preInputEntry)
    }

    /// Reads one line with `prompt` (ANSI colour sequences in it are fine).
    public func readLine(prompt: String) -> Input {
        EditorState.interrupted = false
        EditorState.completer = completer
        defer { EditorState.completer = nil }
        guard let raw = readline(PromptText.markingInvisible(prompt)) else {
            return EditorState.interrupted ? .interrupted : .endOfInput
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    /// Adds `line` to the in-memory history (Up arrow, Ctrl-R), unless it repeats the last entry.
    public func addHistory(_ line: String) {
        guard line != lastHistoryEntry else { return }
        lastHistoryEntry = line
        _ = add_history(line)
    }

    /// Multibyte input (UTF-8 keys and values) needs a UTF-8 character type; `C` and
    /// `POSIX` environments get C.UTF-8. Only LC_CTYPE changes, so number formatting is
    /// untouched.
    private static func setLocale() {
        let chosen = setlocale(LC_CTYPE, "").map { String(cString: $0) }
        if chosen == nil || chosen == "C" || chosen == "POSIX" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}

/// What libedit's C callbacks reach: set by `readLine` on the thread that then calls
/// `readline()`, which is the thread the callbacks run on.
enum EditorState {
    nonisolated(unsafe) static var completer: LineEditor.Completer?
    nonisolated(unsafe) static var interrupted = false
}

/// Before each line: Ctrl-C as a key, not a signal; Ctrl-R as history search; and the
/// terminal in edit mode before the prompt is drawn (libedit would switch after drawing
/// it, so a key pressed as soon as the prompt shows could still be taken by the tty
/// driver: a Ctrl-D then turns into a NUL byte, a Ctrl-C into SIGINT).
private let preInputEntry: @convention(c) () -> Int32 = {
    _ = rl_parse_and_bind("setty -d -isig")
    _ = rl_parse_and_bind("bind ^R em-inc-search-prev")
    rl_prep_terminal(0)
    return 0
}

/// Bound to Ctrl-C: ends `readline()`, which then returns NULL.
private let interruptEntry: @convention(c) (Int32, Int32) -> Int32 = { _, _ in
    EditorState.interrupted = true
    wwctl_rl_set_done(1)
    return 0
}

/// libedit's attempted-completion hook. `text` is the word libedit will replace (raw, as
/// typed, quotes included); `end` is the cursor in characters.
private let completionEntry: @convention(c) (
    UnsafePointer<CChar>?, Int32, Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, end in
    wwctl_rl_set_attempted_completion_over(1)
    wwctl_rl_set_completion_append_character(Int32(UInt8(ascii: " ")))
    guard let completer = EditorState.completer, let buffer = wwctl_rl_line_buffer() else { return nil }
    let line = String(cString: buffer)
    let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(max(0, Int(end)))))
    guard let reply = completer(before) else { return nil }
    let word = text.map { String(cString: $0) } ?? ""
    guard let entries = CompletionMatches.entries(word: word, reply: reply) else { return nil }
    if entries.count == 1 && !reply.isComplete {
        wwctl_rl_set_completion_append_character(0)
    }
    return CompletionMatches.cArray(entries)
}
