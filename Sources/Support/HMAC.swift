/// HMAC-SHA256 (RFC 2104 over FIPS 180-4), the signature of HS256 JSON Web Tokens.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`. Keys longer than a
    /// block are hashed first, as RFC 2104 requires.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > SHA256.blockSize ? SHA256.digest(of: key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockSize - block.count)
        let inner = SHA256.digest(of: block.map { $0 ^ 0x36 } + message)
        return SHA256.digest(of: block.map { $0 ^ 0x5c } + inner)
    }

    /// Whether `code` is the authentication code of `message` under `key`, compared in
    /// time that does not depend on where the bytes differ.
    public static func isValid(_ code: [UInt8], for message: [UInt8], key: [UInt8]) -> Bool {
        constantTimeEquals(code, authenticationCode(for: message, key: key))
    }

    /// Byte equality whose running time depends only on the lengths, so a forger cannot
    /// learn how many leading bytes of a guessed signature were right.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
