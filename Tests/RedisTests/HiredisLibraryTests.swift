import Redis
import Testing

@Suite struct HiredisLibraryTests {
    @Test func versionFromTheFileNameSuffix() {
        #expect(HiredisLibrary.version(ofFile: "/usr/lib/x86_64-linux-gnu/libhiredis.so.0.14") == "0.14")
        #expect(HiredisLibrary.version(ofFile: "/usr/lib/libhiredis.so.1.1.0") == "1.1.0")
        #expect(HiredisLibrary.version(ofFile: "/usr/lib/libhiredis.so") == nil)
        #expect(HiredisLibrary.version(ofFile: "/usr/lib/libhiredis.so.") == nil)
    }

    @Test func theLinkedLibraryIsFoundAndAgreesWithTheHeaders() throws {
        let file = try #require(HiredisLibrary.loadedFile())
        let version = try #require(HiredisLibrary.version(ofFile: file))
        // The soname's version is the start of the full one the headers give.
        #expect(HiredisLibrary.compiledVersion.hasPrefix(version + ".") || HiredisLibrary.compiledVersion == version)
    }
}
