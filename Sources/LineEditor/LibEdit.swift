import CLibedit
import Glibc
import Support

/// libedit, loaded with `dlopen` when the REPL opens its line editor.
///
/// Linking libedit would make every wwctl process map it, and with it libtinfo, libbsd and
/// libmd: four libraries to find, map and relocate at each start of a binary that cron,
/// monitoring and shell completion run constantly, for the one command that edits lines.
/// CLibedit therefore provides only the header (against which `headerSignatures` checks
/// the callback types); each function, and each of the readline layer's configuration
/// variables, is looked up with `dlsym`. The table is built
/// once (Swift's lazy globals are thread-safe) and never unloaded, so the pointers stay
/// valid for the life of the process.
///
/// The variables are written through the pointers `dlsym` returns: Swift 6 rejects any
/// reference to a C global, and these are only touched from the one thread that is inside
/// `readline()` or about to call it (see `LineEditor`).
final class LibEdit: @unchecked Sendable {
    typealias CString = UnsafePointer<CChar>
    // C function pointers, as libedit stores and calls them. (The header's typedefs of
    // these are function types, which Swift imports as Swift closures, twice the size of a
    // C pointer: see `headerSignatures`.)
    typealias CompletionFunction = @convention(c) (
        CString?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    typealias HookFunction = @convention(c) () -> Int32
    typealias CommandFunction = @convention(c) (Int32, Int32) -> Int32

    let readline: @convention(c) (CString?) -> UnsafeMutablePointer<CChar>?
    let initialize: @convention(c) () -> Int32
    let addHistory: @convention(c) (CString?) -> Int32
    let stifleHistory: @convention(c) (Int32) -> Void
    let addDefun: @convention(c) (CString?, CommandFunction?, Int32) -> Int32
    let parseAndBind: @convention(c) (CString?) -> Int32
    let prepTerminal: @convention(c) (Int32) -> Void

    /// `rl_readline_name`: the program name libedit's configuration file sections match.
    let readlineName: UnsafeMutablePointer<CString?>
    /// `rl_line_buffer`: the line being edited.
    let lineBuffer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    /// `rl_basic_word_break_characters`: where the word to complete starts.
    let basicWordBreakCharacters: UnsafeMutablePointer<CString?>
    /// `rl_attempted_completion_function`: the Tab hook.
    let attemptedCompletionFunction: UnsafeMutablePointer<CompletionFunction?>
    /// `rl_attempted_completion_over`: set from the hook, no fallback to file names.
    let attemptedCompletionOver: UnsafeMutablePointer<Int32>
    /// `rl_completion_append_character`: appended after a unique match (0: nothing).
    let completionAppendCharacter: UnsafeMutablePointer<Int32>
    /// `rl_pre_input_hook`: runs inside every `readline()`, after libedit has reset its
    /// terminal settings.
    let preInputHook: UnsafeMutablePointer<HookFunction?>
    /// `rl_done`: set from a key binding, ends the current `readline()`, which then returns NULL.
    let done: UnsafeMutablePointer<Int32>

    /// Whether libedit was already mapped into the process when this table was first
    /// built: true would mean something linked it after all (see the tests).
    let wasLoadedBeforeFirstUse: Bool

    private init(_ library: DynamicLibrary) throws(WWError) {
        func address(_ name: String) throws(WWError) -> UnsafeMutableRawPointer {
            guard let pointer = library.address(name) else {
                throw WWError.unavailable("line editor: \(library.name) has no \(name); install libedit2")
            }
            return pointer
        }
        func function<T>(_ name: String, as type: T.Type = T.self) throws(WWError) -> T {
            unsafeBitCast(try address(name), to: T.self)
        }
        func variable<T>(_ name: String, of type: T.Type) throws(WWError) -> UnsafeMutablePointer<T> {
            try address(name).assumingMemoryBound(to: T.self)
        }
        wasLoadedBeforeFirstUse = library.wasLoaded
        readline = try function("readline")
        initialize = try function("rl_initialize")
        addHistory = try function("add_history")
        stifleHistory = try function("stifle_history")
        addDefun = try function("rl_add_defun")
        parseAndBind = try function("rl_parse_and_bind")
        prepTerminal = try function("rl_prep_terminal")
        readlineName = try variable("rl_readline_name", of: CString?.self)
        lineBuffer = try variable("rl_line_buffer", of: UnsafeMutablePointer<CChar>?.self)
        basicWordBreakCharacters = try variable("rl_basic_word_break_characters", of: CString?.self)
        attemptedCompletionFunction = try variable("rl_attempted_completion_function", of: CompletionFunction?.self)
        attemptedCompletionOver = try variable("rl_attempted_completion_over", of: Int32.self)
        completionAppendCharacter = try variable("rl_completion_append_character", of: Int32.self)
        preInputHook = try variable("rl_pre_input_hook", of: HookFunction?.self)
        done = try variable("rl_done", of: Int32.self)
    }

    #if os(macOS)
    static let libraryNames = ["libedit.3.dylib", "/usr/lib/libedit.3.dylib"]
    #else
    static let libraryNames = ["libedit.so.2"]
    #endif

    /// Opens the first library of `names` that loads. RTLD_GLOBAL is not needed: nothing
    /// else in the process resolves symbols against libedit.
    static func load(names: [String] = libraryNames) -> Result<LibEdit, WWError> {
        switch DynamicLibrary.open(firstOf: names) {
        case .success(let library):
            do { return .success(try LibEdit(library)) } catch { return .failure(error) }
        case .failure(let failure):
            return .failure(.unavailable("line editor: could not load libedit (\(failure.reason)); install libedit2"))
        }
    }

    private static let loaded = load()

    /// Never called: compiles only while the callback types above take the parameters and
    /// results of readline.h's `rl_completion_func_t`, `rl_hook_func_t` and
    /// `rl_command_func_t`.
    private static func headerSignatures(
        _ completion: CompletionFunction, _ hook: HookFunction, _ command: CommandFunction
    ) -> (rl_completion_func_t, rl_hook_func_t, rl_command_func_t) {
        (completion, hook, command)
    }

    /// The process-wide table; loads libedit on the first call.
    static func shared() throws(WWError) -> LibEdit {
        try loaded.get()
    }
}
