import Support

/// The command line as the bytes the shell passed. `CommandLine.arguments` decodes each
/// argument and replaces a byte that is not UTF-8 with U+FFFD, so `perm:\xff` would arrive
/// as `perm:\xef\xbf\xbd`: a different key, deleted without a word. wwctl never acts on a
/// repaired string: an argument that is not valid UTF-8 is refused, with the quoted escape
/// form (redis-cli's, which keys and patterns accept) that says the same bytes in text.
enum RawArguments {
    /// The arguments after the program name, or the refusal of the first that is not UTF-8.
    static func process() -> Result<[String], WWError> {
        var arguments: [String] = []
        let count = Int(CommandLine.argc)
        for index in 1..<max(1, count) {
            guard let pointer = CommandLine.unsafeArgv[index] else { break }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) })
            if let error = refusal(bytes, position: index) { return .failure(error) }
            arguments.append(String(decoding: bytes, as: UTF8.self))
        }
        return .success(arguments)
    }

    /// Why `bytes`, argument number `position`, cannot be taken, or nil when it is UTF-8.
    static func refusal(_ bytes: [UInt8], position: Int) -> WWError? {
        guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
        let quoted = RedisCLIText.quoted(bytes)
        let shown = quoted.count > 80 ? String(quoted.prefix(79)) + "…" : quoted
        return WWError.usage(
            "argument \(position) is not valid UTF-8 (\(shown)); nothing was done. For a key or pattern, "
                + "give the bytes in the quoted escape form, quotes included: '\(shown)'")
    }

    /// The refusal of the first variable wwctl reads whose value is not UTF-8: a URL, a
    /// password or `WWCTL_ACTOR` (written into audit rows) would otherwise be used repaired.
    /// libpq reads its own `PG*` variables byte-exact.
    static func environmentRefusal() -> WWError? {
        guard let name = CurrentEnvironment.namesNotUTF8().first(where: isRead) else { return nil }
        return WWError.usage("environment variable \(TerminalText.echoed(name)) is not valid UTF-8; nothing was done")
    }

    private static func isRead(_ name: String) -> Bool {
        name.hasPrefix("WWCTL_") || ["REDIS_URL", "REDISCLI_AUTH", "DATABASE_URL"].contains(name)
    }

    private static func strlen(_ pointer: UnsafeMutablePointer<CChar>) -> Int {
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return length
    }
}
