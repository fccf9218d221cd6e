import LineEditor

/// Tab completion for the REPL: REPL commands, then commands, subcommands, options and
/// argument values from the CLI's own command tree (`CommandCatalog`), values from the
/// `CompletionRegistry` (roles, profiles, keys…), and for `redis` the server's command
/// names and keys.
///
/// Runs on the line editor's thread; the REPL updates `context` between prompts.
final class Completer: @unchecked Sendable {
    /// Runs an argument's own ArgumentParser completion (`.custom`): the command path,
    /// the argument (`--name` or `positional@N`), the words after the path up to and
    /// including the one being completed, that word's index, and its typed part.
    typealias CustomCompletion = @Sendable (
        _ path: [String], _ argument: String, _ words: [String], _ index: Int, _ typed: String
    ) -> [String]

    let catalog: CommandSpec
    let registry: CompletionRegistry
    var context: CompletionContext
    var customCompletion: CustomCompletion?

    /// At most this many candidates are listed (a partial list's last line included):
    /// libedit asks before showing more than 100.
    static let maximumCandidates = 100

    init(catalog: CommandSpec, registry: CompletionRegistry, context: CompletionContext, customCompletion: CustomCompletion? = nil) {
        self.catalog = catalog
        self.registry = registry
        self.context = context
        self.customCompletion = customCompletion
    }

    /// The edit for Tab after `lineBeforeCursor`.
    func complete(_ lineBeforeCursor: String) -> CompletionReply? {
        let partial = ShellWords.partial(lineBeforeCursor)
        guard !partial.pendingBackslash else { return nil }
        let found = candidates(words: partial.words, typed: partial.current)
        return Self.reply(typed: partial.current, quote: partial.quote, candidates: found)
    }

    struct Candidates: Equatable {
        var values: [String]
        /// Matched without regard to case (Redis command names).
        var ignoringCase = false
        /// Values that are not whole words: a key's stem (`category:`, up to a parameter)
        /// is inserted without the blank that ends a word.
        var stems: Set<String> = []
        /// Some of the values there are (a key walk stopped at its time limit): Tab inserts
        /// only their common prefix, never one of them on its own, and the list says so.
        var partial = false
    }

    /// Every value that may follow `words` when the word being typed starts with `typed`.
    func candidates(words: [String], typed: String) -> Candidates {
        guard let first = words.first else {
            let names = ReplBuiltin.allCases.map(\.rawValue) + visibleSubcommands(catalog)
            return Candidates(values: typed.hasPrefix("-") ? optionNames(catalog, used: [], typed: typed) : names)
        }
        switch ReplBuiltin(word: first) {
        case .help:
            let rest = Array(words.dropFirst())
            if rest.isEmpty {
                return Candidates(values: ReplBuiltin.allCases.map(\.rawValue) + visibleSubcommands(catalog))
            }
            let (path, consumed) = CommandCatalog.resolve(rest, in: catalog)
            return Candidates(values: consumed == rest.count ? visibleSubcommands(path.last!) : [])
        case .exit, .quit, .whereami:
            return Candidates(values: [])
        case .timing:
            return Candidates(values: words.count == 1 ? ["on", "off"] : [])
        case .use:
            return words.count == 1 ? ProfileSource().candidates(typed: typed, context: context) : Candidates(values: [])
        case .watch:
            // watch SECONDS COMMAND…: the command completes as if typed alone.
            return words.count < 2 ? Candidates(values: []) : candidates(words: Array(words.dropFirst(2)), typed: typed)
        case .redis:
            return redisCandidates(Array(words.dropFirst()), typed: typed)
        case nil:
            return commandCandidates(words, typed: typed)
        }
    }

    // MARK: CLI commands

    private func commandCandidates(_ words: [String], typed: String) -> Candidates {
        let (path, consumed) = CommandCatalog.resolve(words, in: catalog)
        let command = path.last!
        let arguments = Array(words[consumed...])

        // --name=value
        if typed.hasPrefix("--"), let equals = typed.firstIndex(of: "=") {
            let name = String(typed[..<equals])
            guard let option = command.option(spelled: name), option.kind == .option else { return Candidates(values: []) }
            let valueTyped = String(typed[typed.index(after: equals)...])
            var found = values(for: option, in: path, arguments: arguments, typed: valueTyped)
            found.values = found.values.map { name + "=" + $0 }
            found.stems = Set(found.stems.map { name + "=" + $0 })
            return found
        }
        if typed.hasPrefix("-") {
            return Candidates(values: optionNames(command, used: arguments, typed: typed))
        }
        if let last = arguments.last, last.hasPrefix("-"), !last.contains("="),
           let option = command.option(spelled: last), option.kind == .option {
            return values(for: option, in: path, arguments: arguments, typed: typed)
        }
        if arguments.isEmpty, !command.subcommands.isEmpty {
            return Candidates(values: visibleSubcommands(command))
        }
        let positionals = command.positionals
        let index = positionalIndex(arguments, in: command)
        let argument: ArgumentSpec
        if index < positionals.count {
            argument = positionals[index]
        } else if let last = positionals.last, last.isRepeating {
            argument = last
        } else {
            return Candidates(values: [])
        }
        return values(for: argument, in: path, arguments: arguments, typed: typed)
    }

    private func visibleSubcommands(_ command: CommandSpec) -> [String] {
        command.subcommands.filter(\.shouldDisplay).map(\.name)
    }

    /// Option and flag spellings, without those already given (unless repeatable).
    private func optionNames(_ command: CommandSpec, used: [String], typed: String) -> [String] {
        let given = Set(used.map { word in word.firstIndex(of: "=").map { String(word[..<$0]) } ?? word })
        var names: [String] = []
        for argument in command.arguments where argument.kind != .positional && argument.shouldDisplay {
            if !argument.isRepeating, argument.spellings.contains(where: given.contains) { continue }
            let spellings = typed.hasPrefix("--") ? argument.spellings.filter { $0.hasPrefix("--") } : argument.spellings
            names += spellings
        }
        return names
    }

    /// How many positional values `arguments` holds (options, their values and flags skipped).
    private func positionalIndex(_ arguments: [String], in command: CommandSpec) -> Int {
        var count = 0
        var i = 0
        var afterTerminator = false
        while i < arguments.count {
            let word = arguments[i]
            if afterTerminator || !word.hasPrefix("-") || word == "-" {
                count += 1
            } else if word == "--" {
                afterTerminator = true
            } else if !word.contains("="), let option = command.option(spelled: word), option.kind == .option {
                i += 1
            }
            i += 1
        }
        return count
    }

    /// The values `arguments` already give, under each name of their argument: positionals
    /// by position, options by name (`--org 7`, `--org=7`).
    private func givenValues(_ arguments: [String], in command: CommandSpec) -> [String: String] {
        var given: [String: String] = [:]
        let positionals = command.positionals
        var position = 0
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word.hasPrefix("-"), word != "-" {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                if let option = command.option(spelled: parts[0]), option.kind == .option {
                    let value = parts.count == 2 ? parts[1] : (i + 1 < arguments.count ? arguments[i + 1] : nil)
                    if let value { for name in option.lookupNames { given[name] = value } }
                    if parts.count == 1 { i += 1 }
                }
            } else {
                if position < positionals.count {
                    for name in positionals[position].lookupNames { given[name] = word }
                }
                position += 1
            }
            i += 1
        }
        return given
    }

    private func values(for argument: ArgumentSpec, in path: [CommandSpec], arguments: [String], typed: String) -> Candidates {
        // A custom completion may offer fewer than the type's values (`-o`: prometheus
        // for metrics only).
        if !argument.allValues.isEmpty, argument.completion != .custom { return Candidates(values: argument.allValues) }
        // A REPL source knows the session (its environment, profile and connections), which
        // the shell's `.custom` completion, run as if in a new process, does not.
        if let source = registry.source(for: argument) {
            var context = self.context
            context.given = givenValues(arguments, in: path.last!)
            return source.candidates(typed: typed, context: context)
        }
        switch argument.completion {
        case .list(let values):
            return Candidates(values: values)
        case .custom, .customAsync:
            guard let customCompletion else { return Candidates(values: []) }
            let id: String
            if argument.kind == .positional {
                guard let index = path.last!.positionals.firstIndex(of: argument) else { return Candidates(values: []) }
                id = "positional@\(index)"
            } else {
                guard let spelling = argument.spellings.first(where: { $0.hasPrefix("--") }) ?? argument.spellings.first else {
                    return Candidates(values: [])
                }
                id = spelling
            }
            // The whole line as a shell would give it, command words included.
            let words = ["wwctl"] + path.dropFirst().map(\.name) + arguments + [typed]
            return Candidates(values: customCompletion(path.dropFirst().map(\.name), id, words, words.count - 1, typed))
        case .none, .other:
            return Candidates(values: [])
        }
    }

    // MARK: redis COMMAND ARGS…

    private func redisCandidates(_ words: [String], typed: String) -> Candidates {
        guard let settings = context.settings, let redis = context.redis,
              let table = redis.commandTable(url: settings.redisURL.value, timeout: settings.timeout.value)
        else { return Candidates(values: []) }
        let upper = typed.first.map { !$0.isLowercase } ?? true
        func cased(_ names: [String]) -> [String] { names.map { upper ? $0.uppercased() : $0 } }
        if words.isEmpty {
            return Candidates(values: cased(table.names), ignoringCase: true)
        }
        if words.count == 1, let entry = table.entries[words[0].lowercased()], !entry.subcommands.isEmpty {
            return Candidates(values: cased(entry.subcommands.keys.sorted()), ignoringCase: true)
        }
        guard table.isKey(words: words, position: words.count) else { return Candidates(values: []) }
        return RedisKeySource(keyPrefixed: false).candidates(typed: typed, context: context)
    }

    // MARK: the edit

    /// The reply for `candidates` when the word typed so far is `typed` inside `quote`.
    static func reply(typed: String, quote: ShellWords.Quote?, candidates: Candidates) -> CompletionReply? {
        let typedScalars = Array(typed.unicodeScalars)
        let fold: (Unicode.Scalar) -> String = { candidates.ignoringCase ? String($0).lowercased() : String($0) }
        var seen = Set<String>()
        var matching: [String] = []
        for value in candidates.values where !seen.contains(value) {
            let scalars = Array(value.unicodeScalars)
            guard scalars.count >= typedScalars.count,
                  zip(scalars, typedScalars).allSatisfy({ fold($0) == fold($1) })
            else { continue }
            seen.insert(value)
            matching.append(value)
        }
        guard !matching.isEmpty else { return nil }
        matching.sort()
        var partial = candidates.partial
        var hidden = 0
        // The list and its last line stay within what libedit shows without asking first.
        let shown = candidates.partial ? maximumCandidates - 1 : maximumCandidates
        if matching.count > shown {
            hidden = matching.count - (maximumCandidates - 1)
            matching = Array(matching.prefix(maximumCandidates - 1))
            partial = true
        }

        let suffixes = matching.map { Array($0.unicodeScalars.dropFirst(typedScalars.count)) }
        var common = suffixes[0]
        for suffix in suffixes.dropFirst() {
            var length = 0
            while length < common.count, length < suffix.count, common[length] == suffix[length] { length += 1 }
            common.removeLast(common.count - length)
        }
        // A partial list with one key found says nothing of the keys not found; a stem
        // from the registry (`jwt:blacklist:`) is no key, and goes in.
        if partial && matching.count == 1 && !candidates.stems.contains(matching[0]) { common = [] }
        var insertion = ShellWords.escape(String(String.UnicodeScalarView(common)), in: quote)
        if partial {
            // Never one candidate on its own: the one wanted may be among those not found.
            // Short, or libedit lists one candidate per line to fit it.
            var note = hidden > 0 ? "… \(grouped(hidden)) more" : "…"
            if candidates.partial { note += hidden > 0 ? ", partial walk" : " partial walk" }
            return CompletionReply(insertion: insertion, candidates: matching + [note], isComplete: false)
        }
        if matching.count == 1 {
            if candidates.stems.contains(matching[0]) {
                return CompletionReply(insertion: insertion, candidates: matching, isComplete: false)
            }
            if let quote { insertion.append(quote.character) }
            return CompletionReply(insertion: insertion, candidates: matching, isComplete: true)
        }
        return CompletionReply(insertion: insertion, candidates: matching, isComplete: false)
    }
}
