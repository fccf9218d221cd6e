import Foundation
@testable import LineEditor
import Testing

@Suite struct LibEditTests {
    /// libedit (and libtinfo, libbsd, libmd with it) is mapped only when a line editor is
    /// opened: neither the test binary nor wwctl names it as a dependency, and every
    /// function and variable the editor uses resolves from the dlopen'ed library.
    @Test func libeditIsLoadedOnFirstUseNotLinked() throws {
        let edit = try LibEdit.shared()
        // Recorded by dlopen(RTLD_NOLOAD) just before the first load in this process.
        #expect(edit.wasLoadedBeforeFirstUse == false)
        // /proc files report a size of 0: read to the end rather than by size.
        let maps = try #require(FileHandle(forReadingAtPath: "/proc/self/maps")).readDataToEndOfFile()
        #expect(String(decoding: maps, as: UTF8.self).contains("libedit.so"))

        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(try !dynamicDependencies(of: executable).contains("libedit"))
        // The command-line tool, when it has been built next to the tests.
        let tool = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("wwctl").path
        if FileManager.default.isExecutableFile(atPath: tool) {
            #expect(try !dynamicDependencies(of: tool).contains("libedit"))
        }
    }

    @Test func aMissingLibraryIsUnavailableNamingIt() throws {
        let result = LibEdit.load(names: ["libedit-that-does-not-exist.so.9"])
        guard case .failure(let error) = result else {
            Issue.record("loaded a library that does not exist")
            return
        }
        #expect(error.category == .unavailable)
        #expect(error.message.contains("libedit-that-does-not-exist.so.9"))
        #expect(error.message.contains("install libedit2"))
    }

    /// `ldd`'s view: every shared object the loader would map at start.
    func dynamicDependencies(of path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: output, as: UTF8.self)
    }
}
