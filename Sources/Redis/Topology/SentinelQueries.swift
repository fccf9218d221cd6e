import Support

/// One sentinel's answer, for `ping`.
public struct RedisSentinelAnswer: Sendable, Encodable, Equatable {
    /// `127.0.0.1:26379`.
    public var address: String
    public var ok: Bool
    /// The primary it names (`127.0.0.1:6379`), nil if it could not say.
    public var primary: String?
    public var latencyMs: Double?
    public var error: String?
}

extension RedisSentinelGroup {
    /// The primary named by the first sentinel (in the order given) that knows the master
    /// name, and that sentinel. Sentinels that fail are skipped; if none names a primary
    /// the error lists what each said.
    func primary(connectTimeout: Double, commandTimeout: Double) throws -> (node: RedisURL, sentinel: RedisURL.Endpoint) {
        var failures: [String] = []
        for sentinel in sentinels {
            do {
                if let node = try primaryNamed(by: sentinel, connectTimeout: connectTimeout, commandTimeout: commandTimeout) {
                    return (node, sentinel)
                }
                failures.append("\(Self.hostPort(sentinel)) does not know '\(masterName)'")
            } catch {
                failures.append(oneLineMessage(error))
            }
        }
        throw RedisError(
            kind: .connect, address: address,
            detail: "no sentinel named a primary for '\(masterName)': \(failures.joined(separator: "; "))")
    }

    /// `SENTINEL get-master-addr-by-name`: nil when the sentinel does not know the name.
    func primaryNamed(by sentinel: RedisURL.Endpoint, connectTimeout: Double, commandTimeout: Double) throws -> RedisURL? {
        let reply = try ask(
            sentinel, ["SENTINEL", "get-master-addr-by-name", masterName],
            connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        if reply.isNull { return nil }
        guard case .array(let parts) = reply, parts.count == 2, let host = parts[0].string,
              let port = parts[1].int, (1...65535).contains(port)
        else {
            throw RedisError(kind: .unexpectedReply, address: Self.hostPort(sentinel), detail: "SENTINEL get-master-addr-by-name did not answer [host, port]")
        }
        return node(host: host, port: Int(port))
    }

    /// The replicas of the primary that the first answering sentinel reports healthy: not
    /// down, not disconnected, with their link to the primary up.
    func replicas(connectTimeout: Double, commandTimeout: Double) throws -> [RedisURL] {
        var failures: [String] = []
        for sentinel in sentinels {
            let reply: RedisReply
            do {
                reply = try ask(sentinel, ["SENTINEL", "REPLICAS", masterName], connectTimeout: connectTimeout, commandTimeout: commandTimeout)
            } catch {
                failures.append(oneLineMessage(error))
                continue
            }
            var found: [RedisURL] = []
            for entry in reply.array ?? [] {
                let pairs = entry.array ?? []
                var fields: [String: String] = [:]
                for index in stride(from: 0, to: pairs.count - 1, by: 2) {
                    if let name = pairs[index].string, let value = pairs[index + 1].string { fields[name] = value }
                }
                let flags = Set((fields["flags"] ?? "").split(separator: ","))
                guard let host = fields["ip"], let port = fields["port"].flatMap({ Int($0) }),
                      flags.isDisjoint(with: ["s_down", "o_down", "disconnected"]), fields["master-link-status"] == "ok"
                else { continue }
                found.append(node(host: host, port: port))
            }
            return found
        }
        throw RedisError(kind: .connect, address: address, detail: "no sentinel answered: \(failures.joined(separator: "; "))")
    }

    /// Every sentinel's view, for `ping`: reachable or not, the primary it names, its round trip.
    public func survey(connectTimeout: Double, commandTimeout: Double) -> [RedisSentinelAnswer] {
        sentinels.map { sentinel in
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let named = try primaryNamed(by: sentinel, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
                let (seconds, attoseconds) = (clock.now - start).components
                let milliseconds = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
                let latency = (milliseconds * 1000).rounded() / 1000
                return RedisSentinelAnswer(
                    address: Self.hostPort(sentinel), ok: named != nil, primary: named.map { Self.hostPort($0.endpoint) },
                    latencyMs: latency, error: named == nil ? "does not know '\(masterName)'" : nil)
            } catch {
                return RedisSentinelAnswer(address: Self.hostPort(sentinel), ok: false, primary: nil, latencyMs: nil, error: oneLineMessage(error))
            }
        }
    }

    /// One command to one sentinel, on a connection of its own. A sentinel with
    /// `requirepass` answers `NOAUTH`: then once more with the group's credentials.
    private func ask(_ sentinel: RedisURL.Endpoint, _ command: [any RedisArgument], connectTimeout: Double, commandTimeout: Double) throws -> RedisReply {
        let anonymous = RedisURL(endpoint: sentinel, tls: tls)
        do {
            let connection = try RedisConnection(url: anonymous, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
            defer { connection.close() }
            return try connection.command(command)
        } catch let error as RedisError where error.serverErrorCode == "NOAUTH" && password != nil {
            var authenticated = anonymous
            authenticated.username = username
            authenticated.password = password
            let connection = try RedisConnection(url: authenticated, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
            defer { connection.close() }
            return try connection.command(command)
        }
    }
}
