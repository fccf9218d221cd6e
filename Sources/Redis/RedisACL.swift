/// What a `NOPERM` refusal asks of an ACL, for its one-line message: the command's ACL
/// categories (Redis 7.0's `COMMAND INFO`) for the commands wwctl sends, so an operator
/// knows which grant is missing without a round trip the user may not be allowed either.
enum RedisACL {
    static let categories: [String: String] = [
        "GET": "@read @string @fast", "MGET": "@read @string @fast", "GETRANGE": "@read @string @slow",
        "STRLEN": "@read @string @fast", "SET": "@write @string @slow", "INCR": "@write @string @fast",
        "INCRBY": "@write @string @fast",
        "EXISTS": "@keyspace @read @fast", "TYPE": "@keyspace @read @fast", "PTTL": "@keyspace @read @fast",
        "TTL": "@keyspace @read @fast", "SCAN": "@keyspace @read @slow", "DBSIZE": "@keyspace @read @fast",
        "RANDOMKEY": "@keyspace @read @slow",
        "UNLINK": "@keyspace @write @fast", "DEL": "@keyspace @write @slow", "EXPIRE": "@keyspace @write @fast",
        "PEXPIRE": "@keyspace @write @fast", "PERSIST": "@keyspace @write @fast",
        "FLUSHDB": "@keyspace @write @slow @dangerous", "FLUSHALL": "@keyspace @write @slow @dangerous",
        "LRANGE": "@read @list @slow", "LLEN": "@read @list @fast", "LPUSH": "@write @list @fast", "RPUSH": "@write @list @fast",
        "SCARD": "@read @set @fast", "SSCAN": "@read @set @slow", "SMEMBERS": "@read @set @slow",
        "SADD": "@write @set @fast", "SREM": "@write @set @fast",
        "HLEN": "@read @hash @fast", "HSCAN": "@read @hash @slow", "HGETALL": "@read @hash @slow",
        "HSET": "@write @hash @fast", "HDEL": "@write @hash @fast",
        "ZCARD": "@read @sortedset @fast", "ZRANGE": "@read @sortedset @slow", "ZSCAN": "@read @sortedset @slow",
        "XLEN": "@read @stream @fast", "XRANGE": "@read @stream @slow",
        "EVAL": "@slow @scripting", "EVALSHA": "@slow @scripting",
        "INFO": "@slow @dangerous", "ROLE": "@admin @fast @dangerous",
        "PING": "@fast @connection", "SELECT": "@fast @connection",
        "MULTI": "@fast @transaction", "EXEC": "@slow @transaction",
        "PUBLISH": "@pubsub @fast", "SUBSCRIBE": "@pubsub @slow",
    ]

    /// `needs +unlink or one of its ACL categories: @keyspace @write @fast`, or what a
    /// refusal of a key or channel needs.
    static func hint(command: String, serverMessage: String) -> String {
        if serverMessage.contains("one of the keys") {
            return "the user's key patterns (~…) do not cover a key \(command) names"
        }
        if serverMessage.contains("channel") {
            return "the user's channel patterns (&…) do not cover the channel"
        }
        let grant = "+" + command.lowercased()
        guard let categories = categories[command.uppercased()] else { return "needs \(grant) in the user's ACL" }
        return "needs \(grant) or one of its ACL categories: \(categories)"
    }
}
