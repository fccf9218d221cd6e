import Testing
@testable import WWCtl

@Suite struct SecretFilterTests {
    @Test(arguments: [
        "tokens revoke eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl",
        "tokens check 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'",
        "config show --redis-url redis://:s3cret@10.0.0.5:6379/0",
        "config show --redis-url redis://s3cret@10.0.0.5:6379/0",
        "config show --redis-url=redis://ops:p%40ss@10.0.0.5:6379/0",
        "ping --database-url postgresql://ops:pw/with@slash@db1/waywise",
        "ping --database-url 'host=db1 dbname=waywise password=hunter2'",
        "orgs create --name x --secret abc",
        "tokens issue --token-value abc",
        "redis AUTH hunter2",
        "redis auth default hunter2",
        "redis HELLO 2 AUTH default hunter2",
        "redis CONFIG SET requirepass hunter2",
        "redis ACL SETUSER ops on >hunter2",
        "watch 1 redis AUTH hunter2",
    ])
    func linesWithCredentialsAreSecret(line: String) {
        #expect(SecretFilter.containsSecret(line))
    }

    @Test(arguments: [
        "ping",
        "cache keys 'user:*'",
        "config show --redis-url redis://127.0.0.1:6379/0",
        "ping --database-url postgresql://ops@db1/waywise",
        "redis GET auth:tokens",
        "cache inspect eyJnotajwt",
        "redis SET k v",
        "redis CONFIG GET maxmemory",
    ])
    func ordinaryLinesAreNot(line: String) {
        #expect(!SecretFilter.containsSecret(line))
    }
}
