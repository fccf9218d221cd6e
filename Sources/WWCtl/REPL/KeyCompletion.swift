import Keyspace

/// Key names Tab offers before any key is read: what the registry's templates say the
/// typed text can continue with. `categor` → `categories:tree` (a fixed key) and `category:`
/// (a literal part, up to the next parameter); `org:7:` → `org:7:members`, `org:7:stats`,
/// `org:7:products`; `admin:stats:` → its enumerated periods. A parameter whose values
/// cannot be listed (`perm:2415:` is followed by an org id) leaves the rest to the keys
/// that exist.
enum KeyCompletion {
    struct Candidate: Equatable {
        var text: String
        /// A whole key; otherwise a stem that ends where a parameter begins (`category:`).
        var isKey: Bool
    }

    /// What the registry's families say can follow `typed` (text after the key prefix).
    static func registryCandidates(_ typed: String, registry: KeyspaceRegistry) -> [Candidate] {
        let parts = typed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let done = parts.dropLast()
        let partial = parts.last ?? ""
        var found: [Candidate] = []
        for family in registry.families {
            let segments = family.template.segments
            guard done.count < segments.count else { continue }
            // The segments typed in full must be the template's: a literal itself, a value
            // its parameter's kind accepts (a parameter that may hold `:` ends the walk).
            var matches = true
            for (segment, text) in zip(segments, done) {
                switch segment {
                case .literal(let literal): matches = literal == text
                case .parameter(let parameter): matches = !parameter.kind.allowsColon && parameter.kind.accepts(text)
                }
                if !matches { break }
            }
            guard matches else { continue }
            let head = done.map { $0 + ":" }.joined()
            let choices: [String]
            switch segments[done.count] {
            case .literal(let literal): choices = [literal]
            case .parameter(let parameter): choices = parameter.kind.allValues ?? []
            }
            for choice in choices where choice.hasPrefix(partial) {
                // Literals that follow are part of the completion too (`jwt` → `jwt:blacklist:`).
                var text = head + choice
                var index = done.count + 1
                while index < segments.count, case .literal(let next) = segments[index] {
                    text += ":" + next
                    index += 1
                }
                let isKey = index == segments.count
                found.append(Candidate(text: isKey ? text : text + ":", isKey: isKey))
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0.text).inserted }
    }
}
