import CLibpq
import Glibc
import Support

/// One PostgreSQL session over libpq.
///
/// - Every statement goes through `PQexecParams` (or `PQsendQueryParams`), so values
///   only ever travel as parameters and a string holds at most one statement.
/// - The session runs in UTC with `DateStyle` ISO and UTF-8, whatever the server's
///   defaults, so timestamps and text read back the same everywhere.
/// - A connection that breaks fails the statement with `.unavailable`; the next
///   statement reconnects (never inside a transaction, whose work is lost with it).
///
/// Thread safety: a connection is used by one thread at a time and is not `Sendable`.
/// The exception is `canceller` (and `cancel()`), which any thread may use while the
/// owning thread waits on a statement.
public final class PostgresConnection {
    public let target: PostgresTarget
    /// `host:port/db` as libpq resolved it; used in every error message.
    public private(set) var address: String
    public let canceller: PostgresCanceller

    let pq: LibPQ
    /// Owned: freed with `PQfinish` by `close()` or `deinit`.
    private(set) var conn: OpaquePointer?
    let connectTimeout: Int
    private let applicationName: String
    private var statementTimeoutMilliseconds: Int?
    /// `--timeout` for every round trip (see `PostgresDeadline`); nil waits as libpq does.
    let deadline: PostgresDeadline?
    var transactionDepth = 0
    /// Inside `bulk`: no statement timeout, long silences allowed while the server answers pings.
    var bulkDepth = 0

    /// Connects to `conninfo` (a `postgresql://` URL or `key=value` conninfo; nil for
    /// libpq's `PG*` environment). `connectTimeout` bounds each connection attempt
    /// (libpq rounds values below 2 up to 2); `statementTimeoutSeconds` sets the
    /// session's `statement_timeout`; `deadline` bounds every round trip (and sets the
    /// statement and lock timeouts from it). The URL's own `application_name` wins over
    /// `applicationName`. A target that is not well-formed is a usage error, before any
    /// attempt to connect (`PostgresTarget.validate`).
    public convenience init(
        conninfo: String?, connectTimeout: Int = 5, applicationName: String = "wwctl",
        statementTimeoutSeconds: Double? = nil, deadline: PostgresDeadline? = nil
    ) throws {
        try self.init(
            target: PostgresTarget(urlOrConninfo: conninfo), connectTimeout: connectTimeout,
            applicationName: applicationName, statementTimeoutSeconds: statementTimeoutSeconds, deadline: deadline)
    }

    public init(
        target: PostgresTarget, connectTimeout: Int = 5, applicationName: String = "wwctl",
        statementTimeoutSeconds: Double? = nil, deadline: PostgresDeadline? = nil
    ) throws {
        self.target = target
        self.address = target.address
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
        self.statementTimeoutMilliseconds = deadline?.statementTimeoutMilliseconds ?? statementTimeoutSeconds.map(Self.milliseconds)
        self.deadline = deadline
        pq = try LibPQ.shared()
        try target.validate(with: pq)
        canceller = PostgresCanceller(pq: pq)
        conn = try connect()
    }

    deinit {
        close()
    }

    /// Ends the session. Any later statement fails; `close()` again does nothing.
    public func close() {
        canceller.uninstall()
        if let conn { pq.finish(conn) }
        conn = nil
    }

    public var isOpen: Bool { conn != nil }

    /// `15.20`, from the server's version number.
    public var serverVersion: String {
        guard let conn else { return "" }
        let version = Int(pq.serverVersion(conn))
        if version >= 100_000 { return "\(version / 10000).\(version % 10000)" }
        return "\(version / 10000).\(version / 100 % 100).\(version % 100)"
    }

    /// The TLS protocol and cipher of the session (`PQsslInUse`, `PQsslAttribute`); nil
    /// when it is not encrypted.
    public var tlsStatus: (protocolVersion: String, cipher: String)? {
        guard let conn, pq.sslInUse(conn) == 1 else { return nil }
        return (
            LibPQ.string(pq.sslAttribute(conn, "protocol")) ?? "?",
            LibPQ.string(pq.sslAttribute(conn, "cipher")) ?? "?")
    }

    /// The server process serving this session (`pg_backend_pid()`).
    public var processID: Int32 {
        conn.map { pq.backendPID($0) } ?? 0
    }

    /// Round trip of `select 1`, in milliseconds.
    public func ping() throws -> Double {
        let start = ContinuousClock.now
        _ = try query("select 1")
        return start.duration(to: .now).inMilliseconds
    }

    /// Asks the server to cancel the running statement; see `PostgresCanceller`.
    @discardableResult
    public func cancel() -> Bool {
        canceller.cancel()
    }

    /// Changes `statement_timeout` for this session (nil: no limit); kept across reconnects.
    public func setStatementTimeout(seconds: Double?) throws {
        let conn = try ready()
        _ = try run(conn, "select set_config('statement_timeout', $1, false)",
                    [String(seconds.map(Self.milliseconds) ?? 0)])
        statementTimeoutMilliseconds = seconds.map(Self.milliseconds)
    }

    // MARK: statements

    /// Runs one statement and returns all its rows.
    public func query(_ sql: String, _ params: [(any PostgresBindable)?] = []) throws -> PostgresResult {
        PostgresResult(handle: try run(try ready(), sql, params))
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ params: [(any PostgresBindable)?] = []) throws -> Int {
        try query(sql, params).affectedRows
    }

    /// Runs one statement and hands its rows to `onRow` one at a time as they arrive
    /// (libpq's single-row mode), so memory stays flat whatever the row count. When
    /// `onRow` throws, the statement is cancelled, the rest of its rows are discarded
    /// and the error is rethrown; the connection stays usable.
    public func stream(
        _ sql: String, _ params: [(any PostgresBindable)?] = [], _ onRow: (PostgresRow) throws -> Void
    ) throws {
        let conn = try ready()
        try Self.checkSQL(sql)
        let parameters = try Parameters(params)
        let sent = parameters.withUnsafePointers { count, types, values, lengths, formats in
            pq.sendQueryParams(conn, sql, count, types, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw connectionError(conn) }
        if pq.setSingleRowMode(conn) != 1 {
            drainResults(conn)
            throw WWError.internalError("postgres \(address): could not enter single-row mode")
        }
        var failure: (any Error)?
        while let raw = try nextResult(conn) {
            let handle = ResultHandle(raw, pq)
            if failure != nil { continue }
            let status = pq.resultStatus(raw)
            if status == PGRES_SINGLE_TUPLE {
                do {
                    try onRow(PostgresRow(handle: handle, row: 0))
                } catch {
                    failure = error
                    canceller.send()
                }
            } else if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY {
                continue
            } else if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                failure = WWError.internalError("postgres \(address): COPY goes through copyIn/copyOut, not stream")
                leaveCopy(conn, status)
            } else {
                failure = serverError(handle, conn)
            }
        }
        if let failure { throw failure }
    }

    // MARK: internals

    /// The open libpq connection, re-established first if it broke.
    func ready() throws(PostgresError) -> OpaquePointer {
        guard let conn else {
            throw PostgresError(sqlState: nil, primary: "connection is closed", address: address, category: .internalError)
        }
        if pq.status(conn) == CONNECTION_OK { return conn }
        if transactionDepth > 0 {
            throw PostgresError(
                sqlState: nil, primary: "connection lost inside a transaction; its work was not committed",
                address: address, category: .unavailable)
        }
        canceller.uninstall()
        pq.reset(conn)
        guard pq.status(conn) == CONNECTION_OK else { throw connectionError(conn) }
        try configureSession(conn)
        return conn
    }

    /// One statement on `conn`; errors become `PostgresError`s. Leaves a COPY it did
    /// not expect (that is what copyIn/copyOut are for).
    func run(_ conn: OpaquePointer, _ sql: String, _ params: [(any PostgresBindable)?], allowCopy: Bool = false) throws -> ResultHandle {
        try Self.checkSQL(sql)
        let parameters = try Parameters(params)
        // Sent, then read without blocking, so that the wait has a deadline (PQexecParams
        // would wait for a frozen server for ever).
        let sent = parameters.withUnsafePointers { count, types, values, lengths, formats in
            pq.sendQueryParams(conn, sql, count, types, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw connectionError(conn) }
        guard let raw = try nextResult(conn) else { throw connectionError(conn) }
        let handle = ResultHandle(raw, pq)
        let status = pq.resultStatus(raw)
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            if allowCopy { return handle }
            leaveCopy(conn, status)
            throw WWError.internalError("postgres \(address): COPY goes through copyIn/copyOut, not query")
        }
        // One statement, one result: then libpq's end of results.
        while let extra = try nextResult(conn) { pq.clear(extra) }
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
            return handle
        }
        throw serverError(handle, conn)
    }

    private func connect() throws(PostgresError) -> OpaquePointer {
        // Order matters: a later keyword overrides what an expanded `dbname` (the URL or
        // conninfo) set, so the timeout and encoding are ours and the name is the URL's.
        var keywords = ["fallback_application_name"]
        var values = [applicationName]
        if let conninfo = target.urlOrConninfo {
            keywords.append("dbname")
            values.append(conninfo)
        }
        if connectTimeout > 0 {
            keywords.append("connect_timeout")
            values.append(String(connectTimeout))
        }
        keywords.append("client_encoding")
        values.append("UTF8")
        let conn = withCStringArray(keywords) { keys in
            withCStringArray(values) { values in pq.connectdbParams(keys, values, 1) }
        }
        guard let conn else {
            throw PostgresError(sqlState: nil, primary: "out of memory", address: address, category: .unavailable)
        }
        address = resolvedAddress(conn)
        guard pq.status(conn) == CONNECTION_OK else {
            let error = connectionError(conn)
            pq.finish(conn)
            throw error
        }
        _ = pq.setNoticeProcessor(conn, discardNotice, nil)
        do {
            try configureSession(conn)
        } catch {
            pq.finish(conn)
            throw error
        }
        return conn
    }

    /// Settings every session gets, at connect and after a reconnect.
    private func configureSession(_ conn: OpaquePointer) throws(PostgresError) {
        do {
            if let deadline {
                _ = try run(conn, """
                    select set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, MDY', false),
                           set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)
                    """, [String(bulkDepth > 0 ? 0 : deadline.statementTimeoutMilliseconds), String(deadline.lockTimeoutMilliseconds)])
            } else if let timeout = statementTimeoutMilliseconds {
                _ = try run(conn, """
                    select set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, MDY', false),
                           set_config('statement_timeout', $1, false)
                    """, [String(timeout)])
            } else {
                _ = try run(conn, "select set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, MDY', false)", [])
            }
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(sqlState: nil, primary: "\(error)", address: address, category: .internalError)
        }
        canceller.install(from: conn)
    }

    private func resolvedAddress(_ conn: OpaquePointer) -> String {
        let host = LibPQ.string(pq.host(conn)).flatMap { $0.isEmpty ? nil : $0 }
        let port = LibPQ.string(pq.port(conn)).flatMap { $0.isEmpty ? nil : $0 }
        let db = LibPQ.string(pq.db(conn)).flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || port != nil || db != nil else { return target.address }
        return PostgresTarget.address(host: host, port: port, db: db)
    }

    /// A failure libpq reports on the connection rather than in a result.
    func connectionError(_ conn: OpaquePointer) -> PostgresError {
        let text = LibPQ.string(pq.errorMessage(conn)).flatMap { $0.isEmpty ? nil : $0 } ?? "unknown libpq failure"
        let broken = pq.status(conn) == CONNECTION_BAD
        return PostgresError(
            sqlState: nil, primary: target.redact(text), address: address,
            category: broken ? .unavailable : .internalError)
    }

    /// The error in a failed result, with its SQLSTATE and fields.
    func serverError(_ handle: ResultHandle, _ conn: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            LibPQ.string(pq.resultErrorField(handle.pointer, Int32(code))).flatMap { $0.isEmpty ? nil : $0 }
        }
        let sqlState = field(UInt8(ascii: "C"))
        var primary = field(UInt8(ascii: "M"))
            ?? LibPQ.string(pq.resultErrorMessage(handle.pointer)).flatMap { $0.isEmpty ? nil : $0 }
            ?? LibPQ.string(pq.errorMessage(conn))
            ?? "unknown error"
        if sqlState == "55P03" {
            primary = PostgresError.lockWait(
                primary: primary, context: field(UInt8(ascii: "W")), timeout: deadline?.seconds)
        }
        var category = PostgresError.category(for: sqlState)
        let cancelled = canceller.takeRequest()
        if pq.status(conn) == CONNECTION_BAD {
            category = .unavailable
        } else if sqlState == "57014" && cancelled {
            category = .interrupted
        }
        return PostgresError(
            sqlState: sqlState, primary: target.redact(primary),
            detail: field(UInt8(ascii: "D")).map(target.redact), hint: field(UInt8(ascii: "H")),
            constraint: field(UInt8(ascii: "n")), address: address, category: category)
    }

    /// Reads and drops results until libpq has none left (the connection is then idle).
    func drainResults(_ conn: OpaquePointer) {
        while let raw = try? nextResult(conn) {
            let status = pq.resultStatus(raw)
            pq.clear(raw)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                leaveCopy(conn, status)
            }
        }
    }

    /// Gets out of a COPY state nobody asked for: ends a COPY FROM with an error, reads
    /// a COPY TO to its end.
    func leaveCopy(_ conn: OpaquePointer, _ status: ExecStatusType) {
        if status == PGRES_COPY_IN || status == PGRES_COPY_BOTH {
            _ = pq.putCopyEnd(conn, "COPY must go through copyIn")
        }
        if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            var buffer: UnsafeMutablePointer<CChar>?
            while true {
                let count = pq.getCopyData(conn, &buffer, 1)
                if count == 0 {
                    if (try? awaitInput(conn)) == nil { break }
                    continue
                }
                guard count > 0 else { break }
                pq.freemem(buffer)
                buffer = nil
            }
        }
        drainResults(conn)
    }

    static func checkSQL(_ sql: String) throws(WWError) {
        if sql.utf8.contains(0) { throw .internalError("postgres: SQL text contains a NUL byte") }
    }

    static func milliseconds(_ seconds: Double) -> Int {
        max(0, Int((seconds * 1000).rounded(.up)))
    }
}

/// libpq prints server notices (`NOTICE: … skipping`) on stderr by default; wwctl's
/// stderr is for its own diagnostics, so they are dropped.
private func discardNotice(_ argument: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {}

/// `strings` as a NULL-terminated array of C strings, valid during `body`.
func withCStringArray<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
