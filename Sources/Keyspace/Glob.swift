import Support

/// Redis glob patterns (`SCAN … MATCH`, `KEYS`): escaping literal text into a pattern,
/// matching exactly as the server does, and finding a pattern's literal prefix.
public enum Glob {
    /// The bytes that are special in a pattern: `* ? [ ] \`.
    public static let metacharacters: Set<UInt8> = [
        UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"),
    ]

    /// `text` as a pattern that matches exactly `text`: each metacharacter gets a
    /// backslash, so `[1]` becomes `\[1\]` and matches `[1]`, not `1`.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: metacharacters.contains) else { return text }
        return String(decoding: escape(bytes: Array(text.utf8)), as: UTF8.self)
    }

    public static func escape(bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for byte in bytes {
            if metacharacters.contains(byte) { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        return out
    }

    /// Whether `key` matches `pattern` by Redis's `stringmatchlen` (case-sensitive, as
    /// SCAN and KEYS use it), byte for byte: `*` any run, `?` one byte, `[abc]`, `[^a]`,
    /// `[a-c]` (bounds swapped when reversed; bytes compared as C's signed `char`), `\x`
    /// a literal `x` (also inside a class), an unterminated `[` running to the end of the
    /// pattern, patterns nesting more than 1000 `*` never matching.
    ///
    /// One difference from the SCAN command remains: SCAN skips matching entirely for the
    /// pattern `*`, so it returns the empty key, which `stringmatchlen("*", "")` does not
    /// match. `scanMatches` reproduces the command.
    public static func match(pattern: String, key: String) -> Bool {
        match(pattern: Array(pattern.utf8), key: Array(key.utf8))
    }

    public static func match(pattern: [UInt8], key: [UInt8]) -> Bool {
        pattern.withUnsafeBufferPointer { p in
            key.withUnsafeBufferPointer { s in
                var skipLongerMatches = false
                return stringMatch(p, 0, p.count, s, 0, s.count, &skipLongerMatches, 0)
            }
        }
    }

    /// Whether `SCAN … MATCH pattern` returns `key`: `match`, except that the pattern `*`
    /// (exactly one byte) matches every key, the empty one included.
    public static func scanMatches(pattern: [UInt8], key: [UInt8]) -> Bool {
        if pattern == [UInt8(ascii: "*")] { return true }
        return match(pattern: pattern, key: key)
    }

    public static func scanMatches(pattern: String, key: String) -> Bool {
        scanMatches(pattern: Array(pattern.utf8), key: Array(key.utf8))
    }

    /// The text every matching key starts with: the pattern up to its first unescaped
    /// `*`, `?` or `[`, with escapes resolved (`perm:42:*` → `perm:42:`, `\*x*` → `*x`).
    /// Empty for `*`, `*:x`, `?…`, `[ab]…`.
    public static func literalPrefix(of pattern: String) -> String {
        String(decoding: literalPrefix(of: Array(pattern.utf8)), as: UTF8.self)
    }

    public static func literalPrefix(of pattern: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["):
                return out
            case UInt8(ascii: "\\"):
                // stringmatchlen: a trailing lone backslash matches a backslash.
                if index + 1 < pattern.count { index += 1 }
                out.append(pattern[index])
            default:
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    /// The hash slot every key matching `pattern` is in, when its literal prefix holds the
    /// key's whole hash tag (`{user7}:perm:*`: the first `{`, a non-empty tag and its `}`),
    /// so that on a Redis Cluster one node holds them all; nil otherwise.
    public static func pinnedSlot(of pattern: [UInt8]) -> Int? {
        let literal = literalPrefix(of: pattern)
        guard let open = literal.firstIndex(of: UInt8(ascii: "{")),
              let close = literal[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        else { return nil }
        return HashSlot.of(literal[...close])
    }

    /// Whether the pattern contains an unescaped `*`, `?` or `[`, i.e. may match more than
    /// one key (`]` alone and escaped characters are literal).
    public static func hasWildcards(_ pattern: String) -> Bool {
        hasWildcards(Array(pattern.utf8))
    }

    public static func hasWildcards(_ pattern: [UInt8]) -> Bool {
        var index = 0
        while index < pattern.count {
            switch pattern[index] {
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["): return true
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return false
    }

    // MARK: stringmatchlen

    /// Redis 7.0 `util.c` `stringmatchlen_impl` with `nocase = 0`, index for pointer. The
    /// C code reads `pattern[k]` up to the terminating NUL; `at` returns 0 there too.
    /// Invariants kept from the C code: `pi + pLen == p.count`, `si + sLen == s.count`.
    private static func stringMatch(
        _ p: UnsafeBufferPointer<UInt8>, _ pStart: Int, _ pLength: Int,
        _ s: UnsafeBufferPointer<UInt8>, _ sStart: Int, _ sLength: Int,
        _ skipLongerMatches: inout Bool, _ nesting: Int
    ) -> Bool {
        if nesting > 1000 { return false }
        var pi = pStart, pLen = pLength
        var si = sStart, sLen = sLength
        @inline(__always) func at(_ index: Int) -> UInt8 { index < p.count ? p[index] : 0 }
        @inline(__always) func signed(_ byte: UInt8) -> Int { Int(Int8(bitPattern: byte)) }

        while pLen > 0 && sLen > 0 {
            switch at(pi) {
            case UInt8(ascii: "*"):
                while pLen > 0 && at(pi + 1) == UInt8(ascii: "*") {
                    pi += 1
                    pLen -= 1
                }
                if pLen == 1 { return true }
                while sLen > 0 {
                    if stringMatch(p, pi + 1, pLen - 1, s, si, sLen, &skipLongerMatches, nesting + 1) {
                        return true
                    }
                    if skipLongerMatches { return false }
                    si += 1
                    sLen -= 1
                }
                // No match for the rest of the pattern from anywhere in the rest of the
                // string: longer matches for earlier stars cannot help either.
                skipLongerMatches = true
                return false
            case UInt8(ascii: "?"):
                si += 1
                sLen -= 1
            case UInt8(ascii: "["):
                pi += 1
                pLen -= 1
                let not = at(pi) == UInt8(ascii: "^")
                if not {
                    pi += 1
                    pLen -= 1
                }
                var matched = false
                while true {
                    if at(pi) == UInt8(ascii: "\\") && pLen >= 2 {
                        pi += 1
                        pLen -= 1
                        if at(pi) == s[si] { matched = true }
                    } else if at(pi) == UInt8(ascii: "]") {
                        break
                    } else if pLen == 0 {
                        pi -= 1
                        pLen += 1
                        break
                    } else if pLen >= 3 && at(pi + 1) == UInt8(ascii: "-") {
                        var start = signed(at(pi))
                        var end = signed(at(pi + 2))
                        let c = signed(s[si])
                        if start > end { swap(&start, &end) }
                        pi += 2
                        pLen -= 2
                        if c >= start && c <= end { matched = true }
                    } else if at(pi) == s[si] {
                        matched = true
                    }
                    pi += 1
                    pLen -= 1
                }
                if not { matched.toggle() }
                if !matched { return false }
                si += 1
                sLen -= 1
            case UInt8(ascii: "\\"):
                if pLen >= 2 {
                    pi += 1
                    pLen -= 1
                }
                if at(pi) != s[si] { return false }
                si += 1
                sLen -= 1
            default:
                if at(pi) != s[si] { return false }
                si += 1
                sLen -= 1
            }
            pi += 1
            pLen -= 1
            if sLen == 0 {
                while at(pi) == UInt8(ascii: "*") {
                    pi += 1
                    pLen -= 1
                }
                break
            }
        }
        return pLen == 0 && sLen == 0
    }
}
