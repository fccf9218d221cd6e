/// Where a read-only walk read from, and how far behind the primary that was: reported
/// with the walk so a reader knows how fresh it is.
public struct RedisReadSource: Sendable, Equatable, Encodable {
    public enum Role: String, Sendable, Encodable {
        case primary, replica
    }

    public var role: Role
    /// `127.0.0.1:6380/0`.
    public var address: String
    /// The primary's replication offset minus the replica's, in bytes, when the walk
    /// started (0: nothing pending); nil on the primary, or when INFO is not allowed.
    public var lagBytes: Int64?
    /// The replica's `master_link_status` (`up`, `down`).
    public var linkStatus: String?
    /// Seconds since the replica last heard from its primary.
    public var lastIOSecondsAgo: Int?

    public init(role: Role, address: String, lagBytes: Int64? = nil, linkStatus: String? = nil, lastIOSecondsAgo: Int? = nil) {
        self.role = role
        self.address = address
        self.lagBytes = lagBytes
        self.linkStatus = linkStatus
        self.lastIOSecondsAgo = lastIOSecondsAgo
    }

    /// `replica 127.0.0.1:6380/0, 0 bytes behind the primary`, for a line on stderr.
    public var summary: String {
        guard role == .replica else { return "primary \(address)" }
        var text = "replica \(address), "
        text += lagBytes.map { "\($0) bytes behind the primary" } ?? "lag unknown (INFO not allowed)"
        if let linkStatus, linkStatus != "up" {
            text += "; its link to the primary is \(linkStatus)"
            if let lastIOSecondsAgo { text += " (last heard \(lastIOSecondsAgo) s ago)" }
        }
        return text
    }
}

/// The fields of `INFO replication` a replica read needs.
struct ReplicationInfo {
    let role: String?
    /// On a primary: how far its replication stream has got. On a replica: the same,
    /// as far as the replica has received.
    let masterOffset: Int64?
    /// On a replica: how far it has applied the stream.
    let replicaOffset: Int64?
    let linkStatus: String?
    let lastIOSecondsAgo: Int?
    /// On a primary: its replicas that are online, `host:port`.
    let onlineReplicas: [(host: String, port: Int)]

    init(_ info: RedisInfo) {
        role = info.role
        masterOffset = info["master_repl_offset"].flatMap { Int64($0) }
        replicaOffset = info["slave_repl_offset"].flatMap { Int64($0) }
        linkStatus = info["master_link_status"]
        lastIOSecondsAgo = info["master_last_io_seconds_ago"].flatMap { Int($0) }
        var replicas: [(String, Int)] = []
        for index in 0..<64 {
            guard let line = info["slave\(index)"] else { break }
            var fields: [Substring: Substring] = [:]
            for pair in line.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            if fields["state"] == "online", let host = fields["ip"], let port = fields["port"].flatMap({ Int($0) }) {
                replicas.append((String(host), port))
            }
        }
        onlineReplicas = replicas
    }
}
