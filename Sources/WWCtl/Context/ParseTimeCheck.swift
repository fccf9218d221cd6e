import ArgumentParser
import Support

/// Runs a library's input checks from a command's `validate()`, so input it refuses as a
/// usage error (64) is refused at parse time: before any server is contacted (a bad slug
/// is 64 whether or not PostgreSQL is up) and before the REPL runs anything. The service
/// checks again when called; these checks are pure and cheap.
func checkAtParseTime(_ checks: () throws -> Void) throws {
    do {
        try checks()
    } catch let error as WWError where error.category == .usage {
        throw ValidationError(error.message)
    }
}

/// `--reference`, `--reason`: text that must hold more than white space, as the services
/// require.
func requireText(_ value: String, option: String) throws {
    if value.allSatisfy(\.isWhitespace) { throw ValidationError("\(option) must not be empty") }
}
