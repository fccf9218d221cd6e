import Support

/// Decides which REPL lines stay out of the history file: anything that may hold a
/// credential. It errs on the side of not recording; a line that is merely unusual costs
/// nothing but an Up-arrow.
enum SecretFilter {
    /// Whether `line` should be kept out of the history.
    static func containsSecret(_ line: String) -> Bool {
        if containsJWT(line) { return true }
        let words = (try? ShellWords.split(line)) ?? line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        for (index, word) in words.enumerated() {
            if urlHasPassword(word) { return true }
            let lower = word.lowercased()
            // libpq conninfo (`password=…`, `sslpassword=…`) and PGPASSWORD=… alike.
            if lower.contains("password=") { return true }
            if lower.hasPrefix("--"), secretOptionWords.contains(where: { lower.contains($0) }) { return true }
            if secretRedisWords.contains(lower) { return true }
            // ACL SETUSER name >password / #sha256
            if lower == "setuser", index > 0, words[index - 1].lowercased() == "acl",
               words.dropFirst(index + 1).contains(where: { $0.hasPrefix(">") || $0.hasPrefix("#") }) {
                return true
            }
        }
        return false
    }

    private static let secretOptionWords = ["secret", "password", "passwd", "token"]

    /// Redis command words followed by a credential: AUTH (also inside HELLO and
    /// MIGRATE), and the CONFIG SET parameters that hold one.
    private static let secretRedisWords: Set<String> = ["auth", "auth2", "requirepass", "masterauth"]

    /// A JSON Web Token: `eyJ` (base64url of `{"`), then two more dot-separated base64url parts.
    static func containsJWT(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        while i + 3 <= bytes.count {
            if bytes[i] == UInt8(ascii: "e"), bytes[i + 1] == UInt8(ascii: "y"), bytes[i + 2] == UInt8(ascii: "J") {
                var j = i + 3
                var parts = 0
                var partLength = 3
                while j < bytes.count {
                    let byte = bytes[j]
                    if Base64URLAlphabet.contains(byte) {
                        partLength += 1
                    } else if byte == UInt8(ascii: "."), partLength > 0 {
                        parts += 1
                        partLength = 0
                        if parts == 2 { return true }
                    } else {
                        break
                    }
                    j += 1
                }
            }
            i += 1
        }
        return false
    }

    /// `scheme://user:password@…`; for Redis schemes also `redis://password@…` (a
    /// password alone, as redis-cli reads it). The user information ends at the last `@`,
    /// as the URL parsers read it, so a password holding `/` or `@` is still seen.
    static func urlHasPassword(_ word: String) -> Bool {
        var rest = word[...]
        while let separator = rest.firstRange(of: "://") {
            let scheme = rest[..<separator.lowerBound].reversed().prefix { $0.isLetter || $0 == "+" || $0 == "." || $0 == "-" }
            let after = rest[separator.upperBound...]
            let end = after.firstIndex { $0 == " " || $0 == "\t" } ?? after.endIndex
            let authorityAndPath = after[..<end]
            if let at = authorityAndPath.lastIndex(of: "@") {
                let userinfo = authorityAndPath[..<at]
                if let colon = userinfo.firstIndex(of: ":"), userinfo.index(after: colon) < userinfo.endIndex {
                    return true
                }
                let name = String(scheme.reversed()).lowercased()
                if ["redis", "rediss", "unix"].contains(name), !userinfo.isEmpty { return true }
            }
            rest = after
        }
        return false
    }
}
