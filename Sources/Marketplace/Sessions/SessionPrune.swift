import Keyspace
import Redis
import Support

extension SessionService {
    /// Takes dangling ids (whose session key no longer exists) out of every user's list,
    /// found by SCAN. Each list is changed atomically by the script, so ids the app adds
    /// meanwhile stay; an id is judged dangling only after the list naming it was read,
    /// and the app writes a session key before listing it. `onBatch` gets the lists seen
    /// so far. Ctrl-C stops between batches (`interrupted`).
    public mutating func prune(dryRun: Bool = false, onBatch: (Int) -> Void = { _ in }) throws -> SessionPruneReport {
        let selector = try keyspace.selector(.userSessions)
        var scanner = redis.scan(match: selector.pattern, count: scanCount)
        var report = SessionPruneReport(
            listsScanned: 0, idsChecked: 0, idsRemoved: 0, listsEmptied: 0, listsMalformed: 0, lists: [],
            dryRun: dryRun, interrupted: false)
        var seen = Set<[UInt8]>()
        while let batch = try scanner.nextBatch() {
            if Interrupt.isRequested {
                report.interrupted = true
                break
            }
            let keys = batch.filter { selector.matches($0) && seen.insert($0).inserted }
            for chunk in keys.slicedForPipeline(batchSize) {
                try pruneLists(Array(chunk), dryRun: dryRun, into: &report)
            }
            onBatch(report.listsScanned)
        }
        return report
    }

    private mutating func pruneLists(_ keys: [[UInt8]], dryRun: Bool, into report: inout SessionPruneReport) throws {
        let values = try redis.pipeline(keys.map { ["GET", $0] })
        try Self.throwFirstError(values, redis: redis, doing: "reading session lists")
        var lists: [(key: [UInt8], userId: String, ids: [String], total: Int)] = []
        for (key, value) in zip(keys, values) {
            guard let bytes = value.bytes else { continue }  // expired since SCAN returned it
            report.listsScanned += 1
            guard let parsed = try? JSONParser.parse(bytes), case .array(let items) = parsed else {
                report.listsMalformed += 1
                continue
            }
            let ids = items.compactMap(\.stringValue)
            report.idsChecked += ids.count
            let userId = keyspace.params(of: key, in: .userSessions)?.first?.value ?? String(decoding: key, as: UTF8.self)
            lists.append((key, userId, ids, items.count))
        }
        var checks: [(list: Int, id: String, key: [UInt8]?)] = []
        for (index, list) in lists.enumerated() {
            for id in list.ids { checks.append((index, id, sessionKeyIfValid(id))) }
        }
        var dangling = [[String]](repeating: [], count: lists.count)
        for chunk in checks.slicedForPipeline(batchSize) {
            let probes = chunk.compactMap(\.key)
            let replies = try redis.pipeline(probes.map { ["EXISTS", $0] })
            try Self.throwFirstError(replies, redis: redis, doing: "checking sessions")
            var next = 0
            for check in chunk {
                var exists = false
                if check.key != nil {
                    exists = replies[next].int == 1
                    next += 1
                }
                if !exists { dangling[check.list].append(check.id) }
            }
        }
        var requests: [(key: [UInt8], ids: [String])] = []
        var requestLists: [Int] = []
        for (index, ids) in dangling.enumerated() where !ids.isEmpty {
            requests.append((lists[index].key, ids))
            requestLists.append(index)
        }
        if dryRun {
            for (request, index) in zip(requests, requestLists) {
                let emptied = request.ids.count == lists[index].total
                report.idsRemoved += request.ids.count
                if emptied { report.listsEmptied += 1 }
                report.lists.append(PrunedList(userId: lists[index].userId, removed: request.ids, emptied: emptied))
            }
            return
        }
        for (outcome, index) in zip(try script.remove(requests), requestLists) {
            let emptied: Bool
            switch outcome {
            case .emptied: emptied = true
            case .kept(let removed, _) where !removed.isEmpty: emptied = false
            case .notAnArray:
                report.listsMalformed += 1
                continue
            default: continue  // gone or changed meanwhile: nothing of ours to remove
            }
            report.idsRemoved += outcome.removed.count
            if emptied { report.listsEmptied += 1 }
            report.lists.append(PrunedList(userId: lists[index].userId, removed: outcome.removed, emptied: emptied))
        }
    }
}
