import Redis
import Testing

@Suite struct RedisInfoTests {
    @Test func typedFieldsFromCapturedOutput() {
        let info = RedisInfo(parsing: InfoFixture.text)
        #expect(info.redisVersion == "7.0.15")
        #expect(info.role == "master")
        #expect(info.uptimeSeconds == 431)
        #expect(info.connectedClients == 1)
        #expect(info.usedMemory == 1_066_040)
        #expect(info.usedMemoryHuman == "1.02M")
        #expect(info.usedMemoryPeak == 1_066_040)
        #expect(info.maxmemory == 0)
        #expect(info.maxmemoryPolicy == "noeviction")
        #expect(info.memFragmentationRatio == 7.57)
        #expect(info.keyspaceHits == 1)
        #expect(info.keyspaceMisses == 1)
        #expect(info.evictedKeys == 0)
        #expect(info.expiredKeys == 0)
        #expect(info.instantaneousOpsPerSec == 0)
        #expect(info.totalCommandsProcessed == 31)
        #expect(info.keyspace == [9: RedisInfo.KeyspaceEntry(keys: 5, expires: 2, avgTTL: 0)])
    }

    @Test func sectionsAndRawFields() {
        let info = RedisInfo(parsing: InfoFixture.text)
        #expect(info.sectionNames == [
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
            "errorstats", "cluster", "keyspace",
        ])
        #expect(info["tcp_port"] == "6391")
        #expect(info["os"] == "Linux 6.18.44-fc-v595 x86_64")  // values may hold spaces
        #expect(info["monotonic_clock"] == "POSIX clock_gettime")
        #expect(info.section("Memory")?["maxmemory_human"] == "0B")
        #expect(info.section("modules") == [:])
        #expect(info["no_such_field"] == nil)
        // Every field line of the capture lands in exactly one section.
        let fieldLines = InfoFixture.text.split(separator: "\r\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(info.sections.values.map(\.count).reduce(0, +) == fieldLines.count)
    }

    @Test func singleSectionLeavesOthersNil() {
        let info = RedisInfo(parsing: "# Memory\r\nused_memory:2048\r\nmaxmemory:1048576\r\nmaxmemory_policy:allkeys-lru\r\n")
        #expect(info.usedMemory == 2048)
        #expect(info.maxmemory == 1_048_576)
        #expect(info.maxmemoryPolicy == "allkeys-lru")
        #expect(info.redisVersion == nil)
        #expect(info.keyspaceHits == nil)
        #expect(info.keyspace.isEmpty)
    }

    @Test func keyspaceOfSeveralDatabases() {
        let info = RedisInfo(parsing: """
            # Keyspace
            db0:keys=120345,expires=3400,avg_ttl=851234
            db15:keys=2,expires=0,avg_ttl=0
            """)
        #expect(info.keyspace[0] == RedisInfo.KeyspaceEntry(keys: 120_345, expires: 3400, avgTTL: 851_234))
        #expect(info.keyspace[15] == RedisInfo.KeyspaceEntry(keys: 2, expires: 0, avgTTL: 0))
        #expect(info.keyspace.count == 2)
    }
}
