import Testing
import Support

/// Standard base64 as export files carry binary keys, values and DUMP payloads.
@Suite struct Base64Tests {
    @Test func knownVectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.encode([0xFF, 0xFE, 0x00, 0x3E, 0x3F]) == "//4APj8=")
    }

    @Test func everyByteRoundTrips() {
        var bytes: [UInt8] = []
        for length in 0..<300 {
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            bytes.append(UInt8(truncatingIfNeeded: length &* 37))
        }
    }

    @Test func rejectsWhatIsNotPaddedStandardBase64() {
        for bad in ["Zg", "Zg=", "Z===", "Zm9v-_==", "Zg==Zg==", "Zm 9", "=Zg="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }
}
