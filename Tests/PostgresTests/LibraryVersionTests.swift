@testable import Postgres
import Testing

@Suite struct LibraryVersionTests {
    @Test func libVersionNumbersAsPostgreSQLWritesThem() {
        #expect(PostgresLibrary.versionText(150018) == "15.18")
        #expect(PostgresLibrary.versionText(170002) == "17.2")
        #expect(PostgresLibrary.versionText(100000) == "10.0")
        #expect(PostgresLibrary.versionText(90624) == "9.6.24")
    }

    @Test func asksTheLoadedLibpqAndFindsItsFile() throws {
        let libpq = try PostgresLibrary.version()
        #expect(try PostgresLibrary.versionText(LibPQ.shared().libVersion()) == libpq.version)
        let file = try #require(libpq.file)
        #expect(file.split(separator: "/").last?.hasPrefix("libpq.so") == true)
        #expect(file.hasPrefix("/"))
    }
}
