import Foundation
@testable import Postgres
import Support
import Testing
import TestSupport

@Suite struct ConnectionTests {
    @Test func wrongPasswordIsUnavailableWithoutThePassword() throws {
        let secret = "Wr0ng-p@ss:word"
        let url = "postgresql://wwctl:Wr0ng-p%40ss%3Aword@127.0.0.1:5491/waywise"
        let conninfo = "host=127.0.0.1 port=5491 dbname=waywise user=wwctl password='Wr0ng-p@ss:word'"
        for target in [url, conninfo] {
            let error = try #require(throws: PostgresError.self) { try PostgresConnection(conninfo: target) }
            #expect(error.category == .unavailable)
            #expect(error.message.hasPrefix("postgres 127.0.0.1:5491/waywise: "))
            #expect(error.message.contains("password authentication failed"))
            #expect(!error.message.contains(secret))
            #expect(!error.message.contains("Wr0ng"))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func closedPortIsUnavailable() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(conninfo: "postgresql://wwctl:wwctl-local@127.0.0.1:1/waywise")
        }
        #expect(error.category == .unavailable)
        #expect(error.message.hasPrefix("postgres 127.0.0.1:1/waywise: "))
        #expect(error.message.contains("refused"))
        #expect(!error.message.contains("wwctl-local"))
    }

    @Test func malformedConninfoDoesNotEchoThePassword() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(conninfo: "host=127.0.0.1 port=5491 password=open sesame")
        }
        #expect(error.category == .usage)
        #expect(!error.message.contains("sesame"))
    }

    @Test func conninfoFormAndSessionSettings() throws {
        let target = "host=127.0.0.1 port=5491 dbname=waywise user=wwctl password=wwctl-local"
        let db = try PostgresConnection(conninfo: target, applicationName: "wwctl-conninfo-test")
        defer { db.close() }
        let row = try db.query("select current_setting('application_name'), current_setting('client_encoding'), current_setting('DateStyle')")[0]
        #expect(row.string(0) == "wwctl-conninfo-test")
        #expect(row.string(1) == "UTF8")
        #expect(row.string(2) == "ISO, MDY")
        #expect(db.address == "127.0.0.1:5491/waywise")
        #expect(db.target.masked == "host=127.0.0.1 port=5491 dbname=waywise user=wwctl password=***")

        let named = try PostgresConnection(conninfo: TestServers.databaseURL + "?application_name=from-url")
        defer { named.close() }
        #expect(try named.query("select current_setting('application_name')")[0].string(0) == "from-url")
    }

    @Test func versionAndPing() throws {
        let db = try PostgresConnection(conninfo: TestServers.databaseURL)
        defer { db.close() }
        let number = try db.query("select current_setting('server_version_num')::int")[0].requiredInt(0)
        #expect(db.serverVersion == "\(number / 10000).\(number % 10000)")
        #expect(db.serverVersion.hasPrefix("15."))
        #expect(try db.ping() > 0)
    }

    @Test func closedConnectionRefusesStatements() throws {
        let db = try PostgresConnection(conninfo: TestServers.databaseURL)
        db.close()
        db.close()
        let error = try #require(throws: PostgresError.self) { try db.query("select 1") }
        #expect(error.category == .internalError)
        #expect(db.serverVersion == "")
    }

    @Test func brokenConnectionFailsOnceThenReconnects() throws {
        try withDatabase { database, db in
            try db.setStatementTimeout(seconds: 30)
            let before = db.processID
            let killer = try database.connect()
            defer { killer.close() }
            #expect(try killer.query("select pg_terminate_backend($1, 10000)", [before])[0].bool(0) == true)
            let error = try #require(throws: PostgresError.self) { try db.query("select 1") }
            #expect(error.category == .unavailable)
            let row = try db.query("select pg_backend_pid(), current_setting('TimeZone'), current_setting('statement_timeout')")[0]
            #expect(row.int32(0) != before)
            #expect(row.int32(0) == db.processID)
            #expect(row.string(1) == "UTC")
            #expect(row.string(2) == "30s")
        }
    }

    @Test func statementTimeoutCancelsAsUnavailable() throws {
        try withDatabase { database, _ in
            let db = try database.connect(statementTimeoutSeconds: 0.2)
            defer { db.close() }
            let error = try #require(throws: PostgresError.self) { try db.query("select pg_sleep(30)") }
            #expect(error.isQueryCanceled)
            #expect(error.category == .unavailable)
            try db.setStatementTimeout(seconds: nil)
            #expect(try db.query("show statement_timeout")[0].string(0) == "0")
        }
    }

    @Test func cancelFromAnotherThreadInterrupts() throws {
        try withDatabase { database, db in
            let pid = db.processID
            let canceller = db.canceller
            let sawRunning = Locked(false)
            let watcher = Thread {
                guard let watch = try? database.connect() else { return }
                defer { watch.close() }
                for _ in 0..<1200 {
                    let state = try? watch.query("select state from pg_stat_activity where pid = $1 and query like 'select pg_sleep%'", [pid]).first?.string(0)
                    if state == "active" {
                        sawRunning.withLock { $0 = true }
                        canceller.cancel()
                        return
                    }
                    usleep(25_000)
                }
            }
            watcher.start()
            let error = try #require(throws: PostgresError.self) { try db.query("select pg_sleep(60)") }
            #expect(sawRunning.current)
            #expect(error.category == .interrupted)
            #expect(error.sqlState == "57014")
            #expect(try db.query("select 1")[0].int(0) == 1)
            // The request explained that statement only: a later statement timeout is a timeout.
            try db.setStatementTimeout(seconds: 0.2)
            let timeout = try #require(throws: PostgresError.self) { try db.query("select pg_sleep(5)") }
            #expect(timeout.sqlState == "57014")
            #expect(timeout.category != .interrupted)
        }
    }

    @Test func libpqIsLoadedOnFirstUseNotLinked() throws {
        let db = try PostgresConnection(conninfo: TestServers.databaseURL)
        defer { db.close() }
        // Recorded by dlopen(RTLD_NOLOAD) just before the first load in this process.
        #expect(try LibPQ.shared().wasLoadedBeforeFirstUse == false)
        #expect(readWhole("/proc/self/maps").contains("libpq.so"))

        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(try !dynamicDependencies(of: executable).contains("libpq"))
        // The command-line tool, when it has been built next to the tests.
        let tool = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("wwctl").path
        if FileManager.default.isExecutableFile(atPath: tool) {
            #expect(try !dynamicDependencies(of: tool).contains("libpq"))
        }
    }

    @Test func missingLibraryIsUnavailableWithAdvice() {
        guard case .failure(let error) = LibPQ.load(names: ["libpq-wwctl-missing.so.5"]) else {
            Issue.record("a library that does not exist loaded")
            return
        }
        #expect(error.category == .unavailable)
        #expect(error.message.contains("install libpq5"))
        #expect(!error.message.contains("\n"))
    }

    /// procfs files report size 0, which some readers take at its word: read to EOF.
    func readWhole(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
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
