import Keyspace
import Postgres
import Support

/// How one family's values come out of PostgreSQL: one `COPY (query) TO STDOUT` per
/// family and scope, whose rows the source turns into keys and values as they stream
/// in (families whose value is a list read rows ordered by the key's parameters and emit
/// a key each time the group changes). A source never queries per key.
///
/// The query reads the scope's id and the reference time through the transaction's
/// settings (`WarmSQL.scopeID`, `WarmSQL.now`), which the pipeline sets with
/// `set_config` parameters: COPY cannot take bind parameters, and no value is ever
/// formatted into SQL.
protocol WarmSource: AnyObject, SendableMetatype {
    /// The family whose keys the source writes.
    static var family: KeyFamily { get }
    /// The scopes that reach the family (`.all` always does).
    static var scopes: Set<WarmScope.Kind> { get }
    /// Columns of each COPY row.
    static var columns: Int { get }
    /// The query (without COPY) for a scope the family is reached by.
    static func query(_ scope: WarmScope.Kind) -> String

    init(prefix: String) throws

    /// Reads what the rows need besides themselves (the permission catalog), in the same
    /// transaction and snapshot as the COPY.
    func prepare(_ connection: PostgresConnection) throws
    /// One COPY row.
    func consume(_ row: CopyRow, _ sink: inout WarmSink) throws
    /// After the last row: emits what is still pending (the last group).
    func finish(_ sink: inout WarmSink) throws
}

extension WarmSource {
    func prepare(_ connection: PostgresConnection) throws {}
    func finish(_ sink: inout WarmSink) throws {}

    /// The family's TTL when it does not depend on the key's parameters.
    static var fixedTTL: Int {
        family.ttl.seconds(for: [String: String]()) ?? 0
    }
}

/// Every warmable family's source. The tests check that this covers exactly the
/// registry's warmable families.
enum WarmSources {
    static let all: [any WarmSource.Type] = [
        PermSource.self, UserOrgsSource.self,
        OrgSource.self, OrgMembersSource.self, OrgStatsSource.self,
        AttrEntitySource.self, AttrSource.self,
        ProductSource.self, ProductVariantsSource.self, OrgProductsSource.self, CategoryProductsSource.self,
        CategoryTreeSource.self, StockSource.self,
        CommissionSource.self, OrderVendorItemsSource.self, VendorEarningsSource.self, CartSource.self,
        AdminStatsSource.self, AdminTopProductsSource.self, AdminRevenueSource.self,
    ]

    static let byName: [String: any WarmSource.Type] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.family.name, $0) })

    static func source(named name: String) -> (any WarmSource.Type)? { byName[name] }

    /// Whether `scope` reaches family `name`.
    static func reaches(_ name: String, _ scope: WarmScope.Kind) -> Bool {
        guard let source = byName[name] else { return false }
        return scope == .all || source.scopes.contains(scope)
    }

    /// `COPY (…) TO STDOUT` for a family and scope.
    static func copySQL(_ source: any WarmSource.Type, _ scope: WarmScope.Kind) -> String {
        "COPY (" + source.query(scope) + ") TO STDOUT"
    }
}

/// SQL fragments shared by the sources.
enum WarmSQL {
    /// The scope's entity id (set by the pipeline with `set_config`).
    static let scopeID = "current_setting('wwctl.scope_id')::bigint"
    /// The reference time: now, or the time a test fixes (admin periods, closed months).
    static let now = "current_setting('wwctl.now')::timestamptz"
    /// Order item statuses that count as sold (paid and not cancelled or refunded).
    static let soldStatuses = "('paid', 'shipped', 'delivered')"
    /// An order's open statuses (schema: pending, paid, shipped).
    static let openStatuses = "('pending', 'paid', 'shipped')"

    /// `WHERE`-ready condition that keeps the scope's rows: `column = scope id` with the
    /// column `columns` names for the scope, `true` when it names none (`.all`). A scope
    /// that reaches rows through another table names a column of that table, which the
    /// query joins for that scope only.
    static func filter(_ scope: WarmScope.Kind, _ columns: [WarmScope.Kind: String]) -> String {
        columns[scope].map { "\($0) = \(scopeID)" } ?? "true"
    }

    /// The columns of products aliased `p` that an org or product scope narrows by.
    static let productScope: [WarmScope.Kind: String] = [.org: "p.organization_id", .product: "p.id"]
}

/// Keys and values of one family, back to back, with the end of each: one EVALSHA.
final class WarmBatch: @unchecked Sendable {
    let family: Int
    /// The family's invalidation epoch read before the snapshot the values come from.
    let expectedEpoch: String
    var keyBytes: [UInt8] = []
    var keyEnds: [Int] = []
    var valueBytes: [UInt8] = []
    var valueEnds: [Int] = []
    /// TTL of each key in milliseconds.
    var ttls: [Int64] = []
    /// Whether every key has the same TTL (sent once instead of per key).
    var uniformTTL = true

    init(family: Int, expectedEpoch: String, capacity: Int) {
        self.family = family
        self.expectedEpoch = expectedEpoch
        keyEnds.reserveCapacity(capacity)
        valueEnds.reserveCapacity(capacity)
        ttls.reserveCapacity(capacity)
    }

    var count: Int { keyEnds.count }
    var byteCount: Int { keyBytes.count + valueBytes.count }

    func removeAll() {
        keyBytes.removeAll(keepingCapacity: true)
        keyEnds.removeAll(keepingCapacity: true)
        valueBytes.removeAll(keepingCapacity: true)
        valueEnds.removeAll(keepingCapacity: true)
        ttls.removeAll(keepingCapacity: true)
        uniformTTL = true
    }
}

/// Where a source writes its keys: fills batches of bounded size and hands each full one
/// to `deliver` (the queue to the Redis writer; nothing in a dry run).
struct WarmSink {
    let family: Int
    let expectedEpoch: String
    let maxKeys: Int
    let maxBytes: Int
    let dryRun: Bool
    var jitter: TTLJitter
    private let deliver: (WarmBatch) throws -> Void
    private var batch: WarmBatch
    /// Keys and bytes (key + value) produced so far.
    private(set) var keys = 0
    private(set) var bytes = 0

    init(
        family: Int, expectedEpoch: String, maxKeys: Int, maxBytes: Int, dryRun: Bool, jitter: TTLJitter,
        deliver: @escaping (WarmBatch) throws -> Void
    ) {
        self.family = family
        self.expectedEpoch = expectedEpoch
        self.maxKeys = maxKeys
        self.maxBytes = maxBytes
        self.dryRun = dryRun
        self.jitter = jitter
        self.deliver = deliver
        self.batch = WarmBatch(family: family, expectedEpoch: expectedEpoch, capacity: maxKeys)
    }

    /// One key: `key` appends the key's bytes, `value` the value's.
    @inline(__always)
    mutating func emit(
        ttlSeconds: Int, key: (inout [UInt8]) throws -> Void, value: (inout [UInt8]) throws -> Void
    ) throws {
        let keyStart = batch.keyBytes.count
        let valueStart = batch.valueBytes.count
        try key(&batch.keyBytes)
        try value(&batch.valueBytes)
        batch.keyEnds.append(batch.keyBytes.count)
        batch.valueEnds.append(batch.valueBytes.count)
        let ttl = jitter.milliseconds(seconds: ttlSeconds)
        if let first = batch.ttls.first, first != ttl { batch.uniformTTL = false }
        batch.ttls.append(ttl)
        keys += 1
        bytes += batch.keyBytes.count - keyStart + batch.valueBytes.count - valueStart
        if batch.count >= maxKeys || batch.byteCount >= maxBytes { try flush() }
    }

    /// Hands over the batch being filled, if it holds anything.
    mutating func flush() throws {
        guard batch.count > 0 else { return }
        if dryRun {
            batch.removeAll()
            return
        }
        try deliver(batch)
        batch = WarmBatch(family: family, expectedEpoch: expectedEpoch, capacity: maxKeys)
    }
}

/// Spreads TTLs: each key's TTL uniform over [TTL·(1−F), TTL] milliseconds, so keys
/// warmed together do not all expire together. A small PRNG (SplitMix64, seeded from
/// the system generator once) keeps a system call out of the per-key path.
struct TTLJitter {
    let fraction: Double
    private var random: SplitMix64

    init(fraction: Double, seed: UInt64? = nil) {
        self.fraction = fraction
        var system = SystemRandomNumberGenerator()
        self.random = SplitMix64(state: seed ?? system.next())
    }

    /// Whether `fraction` is allowed: 0 ≤ F < 1.
    static func isValid(_ fraction: Double) -> Bool {
        fraction.isFinite && fraction >= 0 && fraction < 1
    }

    /// The bounds of the TTL in milliseconds for a policy of `seconds`.
    static func bounds(seconds: Int, fraction: Double) -> ClosedRange<Int64> {
        let full = Int64(seconds) * 1000
        guard fraction > 0 else { return full...full }
        let low = max(1, Int64((Double(full) * (1 - fraction)).rounded(.up)))
        return min(low, full)...full
    }

    @inline(__always)
    mutating func milliseconds(seconds: Int) -> Int64 {
        let full = Int64(seconds) * 1000
        guard fraction > 0 else { return full }
        let range = Self.bounds(seconds: seconds, fraction: fraction)
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(random.next() % span)
    }
}

/// Collects the JSON array of one group of consecutive rows (rows ordered by the group
/// columns), so a list-valued family emits one key per group with memory for one group.
/// The group columns are the key's parameters, in the template's order.
struct RowGroup {
    /// The group columns: template parameter i is read from column `columns[i]`.
    let columns: [Int]
    private(set) var isOpen = false
    /// The open group's raw group-column values back to back; value i ends at `ends[i]`.
    private var current: [UInt8] = []
    private var ends: [Int]
    /// The value being built (`[` and the items so far).
    var value: [UInt8] = []
    private var items = 0

    init(columns: [Int]) {
        self.columns = columns
        ends = [Int](repeating: 0, count: columns.count)
    }

    /// Whether `row`'s group columns differ from the open group's (or no group is open).
    func isNewGroup(_ row: CopyRow) -> Bool {
        guard isOpen else { return true }
        var start = 0
        for index in columns.indices {
            let field = row.raw(columns[index])
            let end = ends[index]
            guard field.count == end - start else { return true }
            for offset in 0..<field.count where current[start + offset] != field[offset] { return true }
            start = end
        }
        return false
    }

    /// Opens a group for `row`'s group columns, with an empty array value.
    mutating func open(_ row: CopyRow) {
        current.removeAll(keepingCapacity: true)
        for index in columns.indices {
            current.append(contentsOf: row.raw(columns[index]))
            ends[index] = current.count
        }
        value.removeAll(keepingCapacity: true)
        value.append(UInt8(ascii: "["))
        items = 0
        isOpen = true
    }

    /// Starts the next array item (writes the separator).
    mutating func beginItem() {
        if items > 0 { value.append(UInt8(ascii: ",")) }
        items += 1
    }

    /// Closes the open group, if any, and emits its key: parameter i is group column i
    /// (COPY escapes decoded); the value is the array, or with `head` the object
    /// `{head,"field":[…]}` (`head` the object's other fields, without braces).
    mutating func emit(
        _ sink: inout WarmSink, _ renderer: KeyRenderer, ttl: Int, head: [UInt8]? = nil, field: StaticString = ""
    ) throws {
        guard isOpen else { return }
        value.append(UInt8(ascii: "]"))
        isOpen = false
        try sink.emit(
            ttlSeconds: ttl,
            key: { out in try renderer.append(to: &out) { parameter, out in appendColumn(parameter, to: &out) } },
            value: { out in
                guard let head else {
                    out.append(contentsOf: value)
                    return
                }
                out.append(UInt8(ascii: "{"))
                out.append(contentsOf: head)
                out.append(",\"")
                out.append(field)
                out.append("\":")
                out.append(contentsOf: value)
                out.append(UInt8(ascii: "}"))
            })
    }

    /// Group column `index` with its COPY escapes decoded (a text column such as an
    /// entity type may hold them; numbers never do).
    private func appendColumn(_ index: Int, to out: inout [UInt8]) {
        let bytes = current[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
        guard bytes.contains(UInt8(ascii: "\\")) else {
            out.append(contentsOf: bytes)
            return
        }
        bytes.withUnsafeBufferPointer { field in CopyRows.unescape(field) { out.append($0) } }
    }
}
