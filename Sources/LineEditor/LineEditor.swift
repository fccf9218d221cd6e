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
/// process-wide singleton, so there is at most one `LineEditor` per process. libedit is
/// loaded when the first editor is created, not linked (see `LibEdit`).
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
        /// A line whose bytes are not UTF-8: it is refused, never run with bytes replaced.
        case notUTF8
    }

    /// What Tab does for `lineBeforeCursor`: nil or no candidates leaves the line alone.
    public typealias Completer = (_ lineBeforeCursor: String) -> CompletionReply?

    /// Called on Tab with the text before the cursor.
    public var completer: Completer?

    public let historyLimit: Int
    private var lastHistoryEntry: String?
    private let edit: LibEdit

    private static let isOpen = Atomic<Bool>(false)

    /// Sets up libedit for this process. `historyLimit` bounds the in-memory history.
    /// Throws when another `LineEditor` was already created (libedit's readline layer has
    /// one global state), or when libedit cannot be loaded.
    public init(programName: String, historyLimit: Int) throws {
        let edit = try LibEdit.shared()
        guard Self.isOpen.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            throw WWError.internalError("line editor: only one can be open per process")
        }
        self.edit = edit
        self.historyLimit = max(1, historyLimit)
        EditorState.edit = edit
        Self.setLocale()
        // libedit keeps the pointers it is given for the life of the process.
        edit.readlineName.pointee = UnsafePointer(strdup(programName))
        _ = edit.initialize()
        edit.stifleHistory(Int32(clamping: self.historyLimit))
        // Words are split on blanks only: quotes and backslashes are the completer's business.
        edit.basicWordBreakCharacters.pointee = UnsafePointer(strdup(" \t\n"))
        edit.attemptedCompletionFunction.pointee = completionEntry
        _ = edit.addDefun(strdup("wwctl-interrupt"), interruptEntry, 3)
        edit.preInputHook.pointee = preInputEntry
    }

    /// Reads one line with `prompt` (ANSI colour sequences in it are fine).
    public func readLine(prompt: String) -> Input {
        EditorState.interrupted = false
        EditorState.completer = completer
        defer { EditorState.completer = nil }
        guard let raw = edit.readline(PromptText.markingInvisible(prompt)) else {
            return EditorState.interrupted ? .interrupted : .endOfInput
        }
        defer { free(raw) }
        guard let line = String(validatingCString: raw) else { return .notUTF8 }
        return .line(line)
    }

    /// Adds `line` to the in-memory history (Up arrow, Ctrl-R), unless it repeats the last entry.
    public func addHistory(_ line: String) {
        guard line != lastHistoryEntry else { return }
        lastHistoryEntry = line
        _ = edit.addHistory(line)
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

/// What libedit's C callbacks reach: set by `init` and `readLine` on the thread that then
/// calls `readline()`, which is the thread the callbacks run on.
enum EditorState {
    nonisolated(unsafe) static var edit: LibEdit?
    nonisolated(unsafe) static var completer: LineEditor.Completer?
    nonisolated(unsafe) static var interrupted = false
}

/// Before each line: Ctrl-C as a key, not a signal; Ctrl-R as history search; and the
/// terminal in edit mode before the prompt is drawn (libedit would switch after drawing
/// it, so a key pressed as soon as the prompt shows could still be taken by the tty
/// driver: a Ctrl-D then turns into a NUL byte, a Ctrl-C into SIGINT).
private let preInputEntry: LibEdit.HookFunction = {
    guard let edit = EditorState.edit else { return 0 }
    _ = edit.parseAndBind("setty -d -isig")
    _ = edit.parseAndBind("bind ^R em-inc-search-prev")
    edit.prepTerminal(0)
    return 0
}

/// Bound to Ctrl-C: ends `readline()`, which then returns NULL.
private let interruptEntry: LibEdit.CommandFunction = { _, _ in
    EditorState.interrupted = true
    EditorState.edit?.done.pointee = 1
    return 0
}

/// libedit's attempted-completion hook. `text` is the word libedit will replace (raw, as
/// typed, quotes included); `end` is the cursor in characters.
private let completionEntry: LibEdit.CompletionFunction = { text, _, end in
    guard let edit = EditorState.edit else { return nil }
    edit.attemptedCompletionOver.pointee = 1
    edit.completionAppendCharacter.pointee = Int32(UInt8(ascii: " "))
    guard let completer = EditorState.completer, let buffer = edit.lineBuffer.pointee else { return nil }
    let line = String(cString: buffer)
    let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(max(0, Int(end)))))
    guard let reply = completer(before) else { return nil }
    let word = text.map { String(cString: $0) } ?? ""
    guard let entries = CompletionMatches.entries(word: word, reply: reply) else { return nil }
    if entries.count == 1 && !reply.isComplete {
        edit.completionAppendCharacter.pointee = 0
    }
    return CompletionMatches.cArray(entries)
}
