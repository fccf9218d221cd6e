/// The base64url alphabet of RFC 4648 §5 (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`), as JWTs
/// use it: decoding tokens and spotting them in REPL lines read the same table.
public enum Base64URLAlphabet {
    /// The 6-bit value of `byte`, or nil when it is not in the alphabet (`=` included).
    public static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Whether `byte` is in the alphabet (padding excluded).
    public static func contains(_ byte: UInt8) -> Bool { sextet(byte) != nil }
}
