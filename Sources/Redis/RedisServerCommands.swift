import Support

extension RedisConnection {
    /// `INFO`, or `INFO section` (`server`, `memory`, `stats`, `keyspace`, `all`, …).
    public func info(_ section: String? = nil) throws -> RedisInfo {
        let reply = try command(section.map { ["INFO", $0] } ?? ["INFO"])
        guard case .bulk(let bytes) = reply else { throw unexpectedReply("INFO did not answer with text") }
        return RedisInfo(parsing: String(decoding: bytes, as: UTF8.self))
    }

    /// The `redis_version` of INFO's server section (`7.0.15`).
    public func serverVersion() throws -> String {
        guard let version = try info("server").redisVersion else {
            throw unexpectedReply("INFO server has no redis_version")
        }
        return version
    }

    /// Sends PING and returns the round trip in milliseconds.
    public func ping() throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let reply = try command(["PING"])
        let elapsed = clock.now - start
        guard reply == .status("PONG") else { throw unexpectedReply("PING did not answer PONG") }
        return elapsed.inMilliseconds
    }
}
