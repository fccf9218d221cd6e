import Testing
@testable import CacheOps

/// CLIENT LIST lines read into clients, grouped, and the connections `--kill-idle` may close.
@Suite struct ClientListTests {
    static let listing = """
        id=3 addr=10.0.0.5:50122 laddr=10.0.0.1:6379 fd=8 name=api-1 age=120 idle=100 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22000 events=r cmd=get user=default redir=-1 resp=2
        id=4 addr=10.0.0.5:50123 laddr=10.0.0.1:6379 fd=9 name=api-1 age=90 idle=5 flags=N db=0 qbuf=26 omem=10 tot-mem=30000 cmd=mget user=default
        id=5 addr=10.0.0.6:40000 laddr=10.0.0.1:6379 fd=10 name=worker age=300 idle=300 flags=b db=0 qbuf=0 omem=0 tot-mem=20000 cmd=brpop user=default
        id=6 addr=10.0.0.7:40001 laddr=10.0.0.1:6379 fd=11 name= age=400 idle=400 flags=S db=0 cmd=replconf user=default
        id=7 addr=10.0.0.8:40002 laddr=10.0.0.1:6379 fd=12 name=events age=500 idle=500 flags=P db=0 cmd=subscribe user=default
        id=8 addr=[::1]:40003 laddr=[::1]:6379 fd=13 name= age=1 idle=0 flags=N db=0 cmd=client|list user=default

        not a client line
        """

    @Test func readsEveryClientLine() {
        let clients = ClientInfo.parse(Self.listing)
        #expect(clients.map(\.id) == [3, 4, 5, 6, 7, 8])
        #expect(clients[1].name == "api-1" && clients[1].queryBuffer == 26 && clients[1].outputMemory == 10)
        #expect(clients[2].isBlocked && !clients[0].isBlocked)
        #expect(clients[3].isReplication && clients[4].isSubscriber)
        #expect(clients[5].host == "[::1]" && clients[0].host == "10.0.0.5")
        #expect(clients[5].command == "client|list" && clients[5].name.isEmpty)
    }

    @Test func groupsByNameHostAndCommand() {
        let clients = ClientInfo.parse(Self.listing)
        let byName = ClientGroup.summarise(clients, by: .name)
        #expect(byName.map(\.key) == ["", "api-1", "events", "worker"])
        let api = byName[1]
        #expect(api.connections == 2 && api.idleMinSeconds == 5 && api.idleMaxSeconds == 100)
        #expect(api.queryBufferBytes == 26 && api.totalMemoryBytes == 52000)
        #expect(byName.first { $0.key == "worker" }?.blocked == 1)
        #expect(ClientGroup.summarise(clients, by: .addr).first?.key == "10.0.0.5")
        #expect(Set(ClientGroup.summarise(clients, by: .cmd).map(\.key)).contains("brpop"))
    }

    @Test func killIdleSparesItselfReplicationBlockedAndSubscribers() {
        let clients = ClientInfo.parse(Self.listing)
        #expect(ClientRoster.idle(clients, atLeast: 5, ownId: 8).map(\.id) == [3, 4])
        #expect(ClientRoster.idle(clients, atLeast: 6, ownId: 3).map(\.id) == [])
        #expect(ClientRoster.idle(clients, atLeast: 0, ownId: 4).map(\.id) == [3, 8])
    }
}
