import Testing
import Support

/// HMAC-SHA256 against the test vectors of RFC 4231, section 4.
@Suite struct HMACTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [
        // 4.2: a 20-byte key
        ([UInt8](repeating: 0x0b, count: 20), bytes("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        // 4.3: a key shorter than the output
        (bytes("Jefe"), bytes("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        // 4.4: key and data of non-text bytes
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        // 4.5: a 25-byte key
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        // 4.7: a key longer than a block is hashed first
        ([UInt8](repeating: 0xaa, count: 131), bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        // 4.8: key and data both longer than a block
        ([UInt8](repeating: 0xaa, count: 131),
         bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ] as [([UInt8], [UInt8], String)])
    func rfc4231(key: [UInt8], data: [UInt8], expected: String) {
        let code = HMACSHA256.authenticationCode(for: data, key: key)
        #expect(Self.hex(code) == expected)
        #expect(HMACSHA256.isValid(code, for: data, key: key))
    }

    /// 4.6 specifies only the first 128 bits of the output.
    @Test func rfc4231Truncated() {
        let code = HMACSHA256.authenticationCode(for: Self.bytes("Test With Truncation"), key: [UInt8](repeating: 0x0c, count: 20))
        #expect(Self.hex(Array(code.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
    }

    /// The block boundary: 64 bytes are used as is, 65 are hashed first (values from
    /// Python's hmac module).
    @Test func keysAtTheBlockBoundary() {
        let message = Self.bytes("m")
        #expect(Self.hex(HMACSHA256.authenticationCode(for: message, key: [UInt8](repeating: 0x61, count: 64)))
            == "cd11329ff173063b748ca80406312ca140e95e65d03ba7fa546fdaab1aac03f1")
        #expect(Self.hex(HMACSHA256.authenticationCode(for: message, key: [UInt8](repeating: 0x61, count: 65)))
            == "5d5f27064dc43c62a01463f9866c581d865b2ddcbb928b616b43a5f0e71f5de5")
    }

    @Test func verificationRejectsAnyChange() {
        let key = Self.bytes("secret")
        let message = Self.bytes("header.payload")
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        var flipped = code
        flipped[31] ^= 1
        #expect(!HMACSHA256.isValid(flipped, for: message, key: key))
        #expect(!HMACSHA256.isValid(Array(code.prefix(31)), for: message, key: key))
        #expect(!HMACSHA256.isValid(code, for: message + [0x2e], key: key))
        #expect(!HMACSHA256.isValid(code, for: message, key: Self.bytes("secreT")))
        #expect(HMACSHA256.constantTimeEquals([], []))
        #expect(!HMACSHA256.constantTimeEquals([1], [1, 1]))
    }
}
