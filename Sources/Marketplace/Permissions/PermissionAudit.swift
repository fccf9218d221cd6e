import CacheOps
import Keyspace
import Postgres
import Redis
import Support

extension PermissionService {
    /// `perms audit`: walks the cached perm keys with SCAN (the registry's perm selector),
    /// reads them in pipelined batches and compares each batch with the database in one
    /// query (arrays of user, org, resource and action, unnested), never one query per key.
    /// With `sample`, stops after that many keys. With `fix`, deletes the stale ones by
    /// name after bumping their invalidation epochs, so a concurrent warm cannot write back
    /// what it read before.
    public func audit(
        sample: Int? = nil, fix: Bool = false, batchSize: Int = 500,
        onBatch: (_ checked: Int, _ stale: Int) -> Void = { _, _ in }
    ) throws -> PermissionAuditReport {
        guard let redis else { throw WWError.internalError("perms audit needs a Redis connection") }
        if let sample, sample < 1 { throw WWError.usage("--sample must be at least 1, got \(sample)") }
        guard batchSize >= 1 else { throw WWError.usage("batch size must be at least 1") }
        let selector = try keyspace.selector(.perm)
        var report = PermissionAuditReport(scanned: 0, checked: 0, sampled: false, queries: 0, staleCount: 0, fixed: 0, stale: [])
        var batch: [AuditedKey] = []

        func flush() throws {
            guard !batch.isEmpty else { return }
            let stale = try compare(batch, redis: redis, report: &report)
            if fix && !stale.isEmpty {
                try InvalidationEpochs(redis: redis, keyspace: keyspace).bump(keys: stale.map { Array($0.key.utf8) })
                report.fixed += try KeyDeleter(redis: redis).delete(stale.map(\.key))
            }
            batch.removeAll(keepingCapacity: true)
            onBatch(report.checked, report.staleCount)
        }

        var scanner = redis.scan(match: selector.pattern, count: 1000)
        walk: while let keys = try scanner.nextBatch() {
            if Interrupt.isRequested { throw WWError.interrupted }
            for key in keys {
                report.scanned += 1
                guard selector.matches(key), let audited = AuditedKey(key, in: keyspace) else { continue }
                if let sample, report.checked + batch.count >= sample {
                    report.sampled = true
                    break walk
                }
                batch.append(audited)
                if batch.count >= batchSize { try flush() }
            }
        }
        try flush()
        return report
    }

    /// Reads the batch's values (one pipelined round trip), asks the database about all of
    /// them (one query) and returns the stale ones, also recorded in `report`.
    ///
    /// A resource or action holding a NUL byte names no catalog permission (PostgreSQL text
    /// cannot hold one, so neither can `permissions`): its answer is false without asking,
    /// and it is not sent, as a text[] parameter holding it would fail the whole query.
    private func compare(_ batch: [AuditedKey], redis: RedisConnection, report: inout PermissionAuditReport) throws -> [StalePermission] {
        let replies = try redis.pipeline(batch.map { ["GET", $0.bytes] as [any RedisArgument] })
        var answers = [Bool](repeating: false, count: batch.count)
        let asked = batch.indices.filter { batch[$0].fitsTheCatalog }
        if !asked.isEmpty {
            let sql = """
                SELECT t.i, coalesce(o.status <> 'suspended', false) AND rp.role_id IS NOT NULL AS allowed
                FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
                     WITH ORDINALITY AS t (user_id, org_id, resource, action, i)
                LEFT JOIN organizations o ON o.id = t.org_id
                LEFT JOIN organization_users ou ON ou.user_id = t.user_id AND ou.organization_id = t.org_id
                LEFT JOIN permissions p ON p.resource = t.resource AND p.action = t.action
                LEFT JOIN role_permissions rp ON rp.role_id = ou.role_id AND rp.permission_id = p.id
                ORDER BY t.i
                """
            let rows = try postgres.query(sql, [
                asked.map { batch[$0].userId }, asked.map { batch[$0].orgId },
                asked.map { batch[$0].resource }, asked.map { batch[$0].action },
            ])
            report.queries += 1
            guard rows.count == asked.count else {
                throw WWError.internalError("perms audit: \(rows.count) answers for \(asked.count) keys")
            }
            for (index, row) in zip(asked, rows) { answers[index] = try row.requiredBool("allowed") }
        }
        var stale: [StalePermission] = []
        for (index, allowed) in answers.enumerated() {
            let cached = CachedPermission(replies[index])
            // Gone since SCAN returned it: nothing to compare.
            guard cached.raw != nil else { continue }
            report.checked += 1
            guard cached.isStale(allowed: allowed) else { continue }
            let key = batch[index]
            stale.append(StalePermission(
                key: key.key, userId: key.userId, orgId: key.orgId, resource: key.resource, action: key.action,
                cached: cached.raw ?? "", database: allowed))
        }
        report.staleCount += stale.count
        report.stale += stale
        return stale
    }
}

/// A perm key SCAN returned, with its parameters.
private struct AuditedKey {
    var bytes: [UInt8]
    var key: String
    var userId: Int64
    var orgId: Int64
    var resource: String
    var action: String

    init?(_ bytes: [UInt8], in keyspace: BoundKeyspace) {
        let parsed = keyspace.parse(bytes)
        guard case .family(let family, _) = parsed, family == .perm,
              let userId = parsed.value(of: "userId").flatMap({ Int64($0) }),
              let orgId = parsed.value(of: "orgId").flatMap({ Int64($0) }),
              let resource = parsed.value(of: "resource"), let action = parsed.value(of: "action")
        else { return nil }
        self.bytes = bytes
        self.key = String(decoding: bytes, as: UTF8.self)
        self.userId = userId
        self.orgId = orgId
        self.resource = resource
        self.action = action
    }

    /// Whether the resource and action could be a permission's: no NUL byte.
    var fitsTheCatalog: Bool { !resource.utf8.contains(0) && !action.utf8.contains(0) }
}
