import Keyspace
import Support

/// One session as `sessions list` / `show` print it.
public struct SessionEntry: Sendable, Encodable, Equatable {
    public var id: String
    /// Whether `session:{id}` exists. A listed id whose key has expired is dangling.
    public var exists: Bool
    /// Listed in the user's list but its session key is gone.
    public var dangling: Bool
    /// PTTL of the session key (-1: no TTL), nil when it is gone.
    public var ttlMs: Int64?
    /// The `userId` field as the app stored it (a number or a string), nil when absent.
    public var userId: JSONValue?
    public var ip: String?
    public var userAgent: String?
    /// `createdAt` as stored (an ISO string or epoch milliseconds).
    public var createdAt: JSONValue?
    /// The whole stored value: the JSON object, or the raw text when it is not JSON.
    public var data: JSONValue?
    /// Whether the user's list names this session (`show` only; nil when the user is unknown).
    public var listed: Bool?
}

/// `sessions list --user U`.
public struct UserSessionsReport: Sendable, Encodable {
    public var userId: Int64
    /// Whether `user:{u}:sessions` exists.
    public var listExists: Bool
    /// PTTL of the list (-1: no TTL), nil when it does not exist.
    public var listTtlMs: Int64?
    public var sessions: [SessionEntry]
    public var active: Int
    public var dangling: Int
}

/// `sessions revoke` / `revoke-all`.
public struct SessionRevocation: Sendable, Encodable {
    /// Session keys deleted (would be deleted, with `dryRun`).
    public var revoked: Int
    /// Their ids.
    public var ids: [String]
    /// Ids taken out of the user's list: the revoked ones and dangling ones.
    public var removedFromList: [String]
    public var userId: Int64?
    /// Whether the list was left empty and deleted.
    public var listDeleted: Bool
    /// Ids left in the list afterwards (sessions the app added meanwhile), nil without a list.
    public var listRemaining: Int?
    /// Sessions of the user found by SCAN outside the list (`revoke-all --scan`), included in `ids`.
    public var unlisted: [String]
    /// Listed ids whose session names another user (`revoke-all`): neither deleted nor
    /// taken out of the list.
    public var skipped: [String]
    public var dryRun: Bool
}

/// One list `sessions prune` changed (or would change).
public struct PrunedList: Sendable, Encodable, Hashable {
    public var userId: String
    public var removed: [String]
    public var emptied: Bool
}

/// `sessions prune`.
public struct SessionPruneReport: Sendable, Encodable {
    /// User session lists found by SCAN.
    public var listsScanned: Int
    /// Ids read from them.
    public var idsChecked: Int
    /// Dangling ids removed (would be removed, with `dryRun`).
    public var idsRemoved: Int
    /// Lists left empty and deleted.
    public var listsEmptied: Int
    /// Lists whose value is not a JSON array, left alone.
    public var listsMalformed: Int
    public var lists: [PrunedList]
    public var dryRun: Bool
    /// Whether Ctrl-C stopped the walk early; the counts are what was done until then.
    public var interrupted: Bool
}

/// How the app's session values and lists are read.
enum SessionValues {
    /// The ids in a list value (a JSON array of strings); nil when it is not a JSON array.
    /// Elements that are not strings are skipped.
    static func ids(inList bytes: [UInt8]) -> [String]? {
        guard let value = try? JSONParser.parse(bytes), case .array(let items) = value else { return nil }
        return items.compactMap(\.stringValue)
    }

    /// A session entry from `session:{id}`'s value and PTTL.
    static func entry(id: String, value: [UInt8]?, ttl: Int64?) -> SessionEntry {
        guard let value else {
            return SessionEntry(id: id, exists: false, dangling: false)
        }
        let parsed = try? JSONParser.parse(value)
        let object: JSONValue? = if case .object = parsed { parsed } else { nil }
        return SessionEntry(
            id: id, exists: true, dangling: false, ttlMs: ttl,
            userId: object?["userId"],
            ip: object?["ip"]?.stringValue,
            userAgent: object?["userAgent"]?.stringValue,
            createdAt: object?["createdAt"],
            data: parsed ?? .string(String(decoding: value, as: UTF8.self)))
    }

    /// The session's user id when it is an integer (a number or a numeric string).
    static func userId(of entry: SessionEntry) -> Int64? {
        switch entry.userId {
        case .number(let text)?, .string(let text)?:
            ParameterKind.integer.accepts(text) ? Int64(text) : nil
        default:
            nil
        }
    }
}

extension SessionEntry {
    init(id: String, exists: Bool, dangling: Bool) {
        self.init(
            id: id, exists: exists, dangling: dangling, ttlMs: nil, userId: nil, ip: nil, userAgent: nil,
            createdAt: nil, data: nil, listed: nil)
    }
}
