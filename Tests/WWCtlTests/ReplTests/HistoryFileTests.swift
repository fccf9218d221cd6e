import Foundation
import Support
import Testing
@testable import WWCtl

@Suite struct HistoryFileTests {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "wwctl-history-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue
    }

    @Test func theFileAndItsDirectoryArePrivate() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": root])!
        #expect(path == root + "/wwctl/history")
        var file = HistoryFile(path: path, limit: 10)
        try file.append("ping", keeping: ["ping"])
        #expect(try mode(path) == 0o600)
        #expect(try mode(root + "/wwctl") == 0o700)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "ping\n")
    }

    @Test func aLooserExistingFileIsTightenedWhenLoaded() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/history"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("a\nb\n".utf8), attributes: [.posixPermissions: 0o644]))
        var file = HistoryFile(path: path, limit: 10)
        #expect(try file.load() == ["a", "b"])
        #expect(try mode(path) == 0o600)
    }

    @Test func theHistoryIsBounded() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/history"
        try (1...25).map { "cmd \($0)\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        var file = HistoryFile(path: path, limit: 10)
        #expect(try file.load() == (16...25).map { "cmd \($0)" })
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 10)

        // Appending past the limit (and its tenth of slack) cuts the file back to the limit.
        var entries = (16...25).map { "cmd \($0)" }
        for n in 26...40 {
            entries.append("cmd \(n)")
            entries = Array(entries.suffix(10))
            try file.append("cmd \(n)", keeping: entries)
            #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count <= 11)
        }
        var reloaded = HistoryFile(path: path, limit: 10)
        #expect(try reloaded.load() == (31...40).map { "cmd \($0)" })
    }

    @Test func withoutXDGStateHomeTheHistoryIsUnderHome() {
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/op"]) == "/home/op/.local/state/wwctl/history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/op", "XDG_STATE_HOME": "relative"]) == "/home/op/.local/state/wwctl/history")
        #expect(HistoryFile.defaultPath(environment: [:]) == nil)
    }

    @Test func aMissingFileIsAnEmptyHistory() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var file = HistoryFile(path: root + "/none/history", limit: 10)
        #expect(try file.load() == [])
    }

    /// A symbolic link at the history's path is never followed: its target is neither
    /// read, nor chmod-ed, nor appended to.
    @Test func aSymbolicLinkIsRefusedAndItsTargetUntouched() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = root + "/target"
        #expect(FileManager.default.createFile(atPath: target, contents: Data("secret\n".utf8), attributes: [.posixPermissions: 0o644]))
        let path = root + "/history"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        var file = HistoryFile(path: path, limit: 10)
        let loading = try #require(throws: WWError.self) { try file.load() }
        #expect(loading.message.contains("symbolic link"))
        let appending = try #require(throws: WWError.self) { try file.append("redis AUTH x", keeping: ["redis AUTH x"]) }
        #expect(appending.message.contains("symbolic link"))
        #expect(try mode(target) == 0o644)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "secret\n")
    }

    @Test func aFileOrFolderOfAnotherUserIsRefused() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/history"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("a\n".utf8), attributes: [.posixPermissions: 0o666]))
        let other: uid_t = geteuid() == 0 ? 65534 : geteuid() + 1
        guard chown(path, other, getegid()) == 0 else { return }  // only root can give a file away
        var file = HistoryFile(path: path, limit: 10)
        let error = try #require(throws: WWError.self) { try file.load() }
        #expect(error.message.contains("owned by user \(other)"))
        #expect(throws: WWError.self) { try file.append("ping", keeping: ["ping"]) }
        #expect(try mode(path) == 0o666)
    }
}
