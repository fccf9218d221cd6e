import Keyspace
import Redis
import Support

/// What `sessions revoke-all` will do, read before the operator confirms.
public struct RevokeAllPlan: Sendable {
    public let userId: Int64
    /// Every id in the user's list, dangling ones included.
    public let listed: [String]
    /// Listed ids whose session exists and names this user: the ones to delete.
    public let existing: [String]
    /// Listed ids whose session exists but names another user (or no integer user): left
    /// alone, session and list entry both, as `revoke` refuses another user's session.
    public let foreign: [String]
    /// Sessions of the user found by SCAN that the list does not name (`scan: true`).
    public let unlisted: [String]

    /// Sessions that will be deleted.
    public var sessionCount: Int { existing.count + unlisted.count }
}

/// Sessions as the app keeps them, only in Redis: `session:{id}` holds
/// `JSON.stringify({userId, …metadata})` and `user:{userId}:sessions` a JSON array of the
/// user's session ids, both with a 24-hour TTL (docs/KEYSPACE.md).
///
/// Revoking is not cache invalidation: these keys are the truth, nothing derives them and
/// no warmer writes them, so the families' invalidation epochs (which only cache warming
/// reads) are not bumped, and there is no PostgreSQL transaction to audit in.
///
/// Lists are changed only by `SessionListScript`, atomically on the server and keeping
/// their TTL; see there for what that guarantees against the app's own writes.
public struct SessionService {
    public let redis: RedisConnection
    public let keyspace: BoundKeyspace
    /// SCAN COUNT for `prune` and `revoke-all --scan`.
    public var scanCount = 1000
    /// Commands per pipelined round trip.
    public var batchSize = 500

    var script: SessionListScript

    public init(redis: RedisConnection, keyspace: BoundKeyspace) {
        self.redis = redis
        self.keyspace = keyspace
        self.script = SessionListScript(redis: redis)
    }

    // MARK: keys

    /// `session:{id}`; throws for an id the registry refuses (empty, or holding `:`).
    func sessionKey(_ id: String) throws -> [UInt8] {
        try keyspace.key(.session, ["sessionId": id])
    }

    /// `session:{id}`, or nil for an id read from a list that cannot name a session key.
    func sessionKeyIfValid(_ id: String) -> [UInt8]? {
        try? sessionKey(id)
    }

    func listKey(_ userId: Int64) throws -> [UInt8] {
        try keyspace.key(.userSessions, ["userId": String(userId)])
    }

    // MARK: reading

    private struct ListState {
        var exists: Bool
        var ttlMs: Int64?
        var ids: [String]
    }

    private func readList(_ userId: Int64) throws -> ListState {
        let key = try listKey(userId)
        let replies = try redis.pipeline([["GET", key], ["PTTL", key]])
        try Self.throwFirstError(replies, redis: redis, doing: "reading \(KeyText.escaped(key))")
        guard let bytes = replies[0].bytes else { return ListState(exists: false, ttlMs: nil, ids: []) }
        guard let ids = SessionValues.ids(inList: bytes) else {
            throw WWError.dataError("\(KeyText.escaped(key)) in redis \(redis.address) is not a JSON array of session ids")
        }
        return ListState(exists: true, ttlMs: replies[1].int, ids: ids)
    }

    /// GET and PTTL of each session, pipelined in batches.
    private func readSessions(_ ids: [String]) throws -> [SessionEntry] {
        var entries: [SessionEntry] = []
        entries.reserveCapacity(ids.count)
        for chunk in ids.slicedForPipeline(batchSize) {
            var commands: [[any RedisArgument]] = []
            var slots: [Int?] = []
            for id in chunk {
                if let key = sessionKeyIfValid(id) {
                    slots.append(commands.count)
                    commands.append(["GET", key])
                    commands.append(["PTTL", key])
                } else {
                    slots.append(nil)
                }
            }
            let replies = try redis.pipeline(commands)
            try Self.throwFirstError(replies, redis: redis, doing: "reading sessions")
            for (id, slot) in zip(chunk, slots) {
                guard let slot else {
                    entries.append(SessionEntry(id: id, exists: false, dangling: false))
                    continue
                }
                entries.append(SessionValues.entry(id: id, value: replies[slot].bytes, ttl: replies[slot + 1].int))
            }
        }
        return entries
    }

    /// The user's sessions: each listed id with its TTL and metadata, dangling ids marked.
    public func list(userId: Int64) throws -> UserSessionsReport {
        let list = try readList(userId)
        var sessions = try readSessions(list.ids)
        for index in sessions.indices where !sessions[index].exists { sessions[index].dangling = true }
        let dangling = sessions.filter(\.dangling).count
        return UserSessionsReport(
            userId: userId, listExists: list.exists, listTtlMs: list.ttlMs, sessions: sessions,
            active: sessions.count - dangling, dangling: dangling)
    }

    /// One session, and whether its user's list names it. A session that does not exist is
    /// a negative answer (exit 1).
    public func show(sessionId: String) throws -> SessionEntry {
        let key = try sessionKey(sessionId)
        var entry = try readSessions([sessionId])[0]
        guard entry.exists else {
            throw WWError.negative("no session '\(sessionId)' in redis \(redis.address) (\(KeyText.escaped(key)) does not exist)")
        }
        if let userId = SessionValues.userId(of: entry) {
            entry.listed = try readList(userId).ids.contains(sessionId)
        }
        return entry
    }

    // MARK: revoking

    /// Deletes `session:{id}` and takes the id out of its user's list. The user comes from
    /// the session's value; `user` names it when the session key is already gone (to clean
    /// the list), and must agree with the value otherwise. `revoked` is 0 when there was no
    /// session key; the caller decides whether that is a negative answer.
    public mutating func revoke(sessionId: String, user: Int64? = nil, dryRun: Bool = false) throws -> SessionRevocation {
        let key = try sessionKey(sessionId)
        let entry = try readSessions([sessionId])[0]
        var userId = user
        if entry.exists {
            let owner = SessionValues.userId(of: entry)
            if let owner, let user, owner != user {
                throw WWError.dataError("session '\(sessionId)' belongs to user \(owner), not \(user)")
            }
            if owner == nil && user == nil {
                throw WWError.dataError("session '\(sessionId)' names no integer userId; give its user with --user")
            }
            userId = owner ?? user
        }
        var result = SessionRevocation(
            revoked: 0, ids: [], removedFromList: [], userId: userId, listDeleted: false, listRemaining: nil,
            unlisted: [], skipped: [], dryRun: dryRun)
        if dryRun {
            if entry.exists {
                result.revoked = 1
                result.ids = [sessionId]
            }
            if let userId {
                let list = try readList(userId)
                if list.exists {
                    result.removedFromList = list.ids.filter { $0 == sessionId }
                    let remaining = list.ids.count - result.removedFromList.count
                    result.listRemaining = remaining
                    result.listDeleted = remaining == 0 && !result.removedFromList.isEmpty
                }
            }
            return result
        }
        let deleted = try redis.command(["UNLINK", key]).int ?? 0
        if deleted > 0 {
            result.revoked = 1
            result.ids = [sessionId]
        }
        if let userId {
            try apply(try script.remove([sessionId], fromListAt: listKey(userId)), to: &result, listKey: listKey(userId))
        }
        return result
    }

    /// Reads what `revokeAll` would delete: the user's listed sessions whose value names
    /// the user and, with `scan`, sessions whose value names the user but which the list
    /// does not (left behind when the app's unsynchronised list writes raced). The scan
    /// walks the whole keyspace. A listed session whose value names someone else is not
    /// this user's to revoke (`foreign`).
    public func planRevokeAll(userId: Int64, scan: Bool = false) throws -> RevokeAllPlan {
        let list = try readList(userId)
        var existing: [String] = []
        var foreign: [String] = []
        for chunk in list.ids.compactMap({ id in sessionKeyIfValid(id).map { (id, $0) } }).slicedForPipeline(batchSize) {
            let replies = try redis.pipeline(chunk.map { ["GET", $0.1] })
            try Self.throwFirstError(replies, redis: redis, doing: "reading sessions")
            for ((id, _), reply) in zip(chunk, replies) {
                let entry = SessionValues.entry(id: id, value: reply.bytes, ttl: nil)
                guard entry.exists else { continue }  // dangling: only the list entry goes
                if SessionValues.userId(of: entry) == userId { existing.append(id) } else { foreign.append(id) }
            }
        }
        let unlisted = scan ? try scanSessions(of: userId, excluding: Set(list.ids)) : []
        return RevokeAllPlan(userId: userId, listed: list.ids, existing: existing, foreign: foreign, unlisted: unlisted)
    }

    /// Deletes every session of the plan that names the user and takes the listed ids out
    /// of the list (which is deleted once empty). Ids the app added since the plan was read
    /// stay, with their sessions: they were not there to revoke. Listed sessions of other
    /// users stay too, and in the list (`skipped`).
    public mutating func revokeAll(_ plan: RevokeAllPlan, dryRun: Bool = false) throws -> SessionRevocation {
        var result = SessionRevocation(
            revoked: 0, ids: [], removedFromList: [], userId: plan.userId, listDeleted: false, listRemaining: nil,
            unlisted: plan.unlisted, skipped: plan.foreign, dryRun: dryRun)
        let foreign = Set(plan.foreign)
        let delisted = plan.listed.filter { !foreign.contains($0) }
        if dryRun {
            result.revoked = plan.sessionCount
            result.ids = plan.existing + plan.unlisted
            result.removedFromList = delisted
            result.listDeleted = !delisted.isEmpty && foreign.isEmpty
            result.listRemaining = delisted.isEmpty ? nil : plan.foreign.count
            return result
        }
        let targets = (plan.existing + plan.unlisted).compactMap { id in sessionKeyIfValid(id).map { (id, $0) } }
        for chunk in targets.slicedForPipeline(batchSize) {
            let replies = try redis.pipeline(chunk.map { ["UNLINK", $0.1] })
            try Self.throwFirstError(replies, redis: redis, doing: "deleting sessions")
            for ((id, _), reply) in zip(chunk, replies) where reply.int == 1 { result.ids.append(id) }
        }
        result.revoked = result.ids.count
        if !delisted.isEmpty {
            try apply(try script.remove(delisted, fromListAt: listKey(plan.userId)), to: &result, listKey: listKey(plan.userId))
        }
        return result
    }

    /// Records what the script did to the list. A list that is not a JSON array was left
    /// alone: an error, reported after the sessions were deleted (which stands).
    private func apply(_ outcome: SessionListScript.Outcome, to result: inout SessionRevocation, listKey: [UInt8]) throws {
        result.removedFromList = outcome.removed
        switch outcome {
        case .kept(_, let remaining):
            result.listRemaining = remaining
        case .emptied:
            result.listDeleted = true
            result.listRemaining = 0
        case .missing:
            break
        case .notAnArray:
            throw WWError.dataError(
                "revoked \(result.revoked) session(s), but \(KeyText.escaped(listKey)) in redis \(redis.address) is not a JSON array of ids; left it alone")
        }
    }

    /// Session ids (not in `excluding`) whose value's userId is `userId`, by SCAN.
    private func scanSessions(of userId: Int64, excluding: Set<String>) throws -> [String] {
        let selector = try keyspace.selector(.session)
        var scanner = redis.scan(match: selector.pattern, count: scanCount)
        var found: [String] = []
        var seen = Set<String>()
        while let batch = try scanner.nextBatch() {
            if Interrupt.isRequested { throw WWError.interrupted }
            let keys = batch.filter { selector.matches($0) }
            guard !keys.isEmpty else { continue }
            let replies = try redis.pipeline(keys.map { ["GET", $0] })
            for (key, reply) in zip(keys, replies) {
                guard let id = keyspace.params(of: key, in: .session)?.first?.value,
                      !excluding.contains(id), seen.insert(id).inserted
                else { continue }
                let entry = SessionValues.entry(id: id, value: reply.bytes, ttl: nil)
                if entry.exists, SessionValues.userId(of: entry) == userId { found.append(id) }
            }
        }
        return found
    }

    static func throwFirstError(_ replies: [RedisReply], redis: RedisConnection, doing what: String) throws {
        for reply in replies {
            if let message = reply.errorMessage {
                throw RedisError(kind: .server, address: redis.address, detail: "\(what): \(message)", serverMessage: message)
            }
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func slicedForPipeline(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min(count, $0 + Swift.max(1, size))] }
    }
}
