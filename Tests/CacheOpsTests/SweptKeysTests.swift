import Testing
import Keyspace
@testable import CacheOps

/// What a sweep records of the keys it deleted, without servers.
@Suite struct SweptKeysTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func swept(limit: Int) throws -> SweptKeys {
        let position = try #require(ChangeLogPosition("1-0:4"))
        var swept = try #require(SweptKeys(position, families: ["perm", "product"], in: keyspace("")))
        swept.limit = limit
        return swept
    }

    @Test func keysOfTheSweptFamiliesAreRecordedOthersIgnored() throws {
        var swept = try swept(limit: 10)
        swept.add(bytes("perm:1:2:product:read"))
        swept.add(bytes("product:17"))
        swept.add(bytes("org:7"))
        swept.add(bytes("no-family-at-all"))
        #expect(swept.record == ChangeRecord([
            .init("perm", .swept(of: 4, keys: [bytes("perm:1:2:product:read")])),
            .init("product", .swept(of: 4, keys: [bytes("product:17")])),
        ]))
    }

    @Test func beyondTheLimitAFamilyIsRecordedWholeAndStaysSo() throws {
        var swept = try swept(limit: 2)
        for user in 1...3 { swept.add(bytes("perm:1:\(user):product:read")) }
        swept.add(bytes("product:17"))
        // Every family whole: later keys change nothing.
        for product in 18...20 { swept.add(bytes("product:\(product)")) }
        swept.add(bytes("perm:1:9:product:read"))
        #expect(swept.record == ChangeRecord([.init("perm", .all), .init("product", .all)]))
    }
}
