import CLibpq
import Support

/// Builds the rows of a `COPY … FROM STDIN` in PostgreSQL's text format and sends them
/// to the server in chunks of about a megabyte.
public struct CopyInWriter {
    static let chunkSize = 1 << 20

    private let connection: PostgresConnection
    private let conn: OpaquePointer
    private var buffer: [UInt8] = []
    /// Rows written so far.
    public private(set) var rows = 0

    init(connection: PostgresConnection, conn: OpaquePointer) {
        self.connection = connection
        self.conn = conn
        buffer.reserveCapacity(Self.chunkSize + 64 * 1024)
    }

    /// Appends one row: nil (or `PostgresValue.null`) is NULL; every other value is
    /// written in its text form, with backslash, tab, newline and carriage return
    /// escaped so that any text arrives exactly as given.
    public mutating func write(_ fields: [(any PostgresBindable)?]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            switch field?.postgresValue ?? .null {
            case .null:
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
            case .text(let text, _):
                try append(escaping: text, column: index)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= Self.chunkSize { try flush() }
    }

    private mutating func append(escaping text: String, column: Int) throws {
        for byte in text.utf8 {
            switch byte {
            case 0:
                throw WWError.dataError("postgres: COPY row \(rows + 1) column \(column + 1) contains a NUL byte, which PostgreSQL text cannot hold")
            case UInt8(ascii: "\\"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "r"))
            default:
                buffer.append(byte)
            }
        }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let pq = connection.pq
        let conn = conn
        let sent = buffer.withUnsafeBytes { bytes in
            pq.putCopyData(conn, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1 else { throw connection.connectionError(conn) }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension PostgresConnection {
    /// Runs `COPY … FROM STDIN` (text format) with the rows `produce` writes and returns
    /// how many the server stored. When `produce` throws, the COPY is aborted (nothing
    /// is stored) and the error rethrown.
    public func copyIn(_ copySQL: String, _ produce: (inout CopyInWriter) throws -> Void) throws -> Int {
        try bulk { try copyInUnbounded(copySQL, produce) }
    }

    private func copyInUnbounded(_ copySQL: String, _ produce: (inout CopyInWriter) throws -> Void) throws -> Int {
        let conn = try ready()
        let started = try run(conn, copySQL, [], allowCopy: true)
        let status = pq.resultStatus(started.pointer)
        guard status == PGRES_COPY_IN else {
            if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH { leaveCopy(conn, status) }
            throw WWError.internalError("postgres \(address): copyIn needs a COPY … FROM STDIN statement")
        }
        var writer = CopyInWriter(connection: self, conn: conn)
        do {
            try produce(&writer)
            try writer.flush()
        } catch {
            _ = pq.putCopyEnd(conn, "abandoned by wwctl")
            drainResults(conn)
            throw error
        }
        guard pq.putCopyEnd(conn, nil) == 1 else { throw connectionError(conn) }
        return try finishCopy(conn).affectedRows
    }

    /// Runs `COPY … TO STDOUT` and hands the output to `onChunk` in pieces of about a
    /// megabyte (whole rows; the bytes are valid only during the call). When `onChunk`
    /// throws, the COPY is cancelled and the error rethrown.
    public func copyOut(_ copySQL: String, _ onChunk: (UnsafeRawBufferPointer) throws -> Void) throws {
        try bulk { try copyOutUnbounded(copySQL, onChunk) }
    }

    private func copyOutUnbounded(_ copySQL: String, _ onChunk: (UnsafeRawBufferPointer) throws -> Void) throws {
        let conn = try ready()
        let started = try run(conn, copySQL, [], allowCopy: true)
        let status = pq.resultStatus(started.pointer)
        guard status == PGRES_COPY_OUT else {
            if status == PGRES_COPY_IN || status == PGRES_COPY_BOTH { leaveCopy(conn, status) }
            throw WWError.internalError("postgres \(address): copyOut needs a COPY … TO STDOUT statement")
        }
        var pending: [UInt8] = []
        pending.reserveCapacity(CopyInWriter.chunkSize + 64 * 1024)
        var failure: (any Error)?
        func deliver() {
            defer { pending.removeAll(keepingCapacity: true) }
            guard failure == nil, !pending.isEmpty else { return }
            do {
                try pending.withUnsafeBytes(onChunk)
            } catch {
                failure = error
                canceller.send()
            }
        }
        while true {
            var data: UnsafeMutablePointer<CChar>?
            // Without blocking, so that the wait for the next row has a deadline.
            let count = pq.getCopyData(conn, &data, 1)
            if count == 0 {
                try awaitInput(conn)
                continue
            }
            guard count > 0, let data else { break }
            if failure == nil {
                pending.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(count)))
                if pending.count >= CopyInWriter.chunkSize { deliver() }
            }
            pq.freemem(data)
        }
        deliver()
        do {
            _ = try finishCopy(conn)
        } catch {
            throw failure ?? error
        }
        if let failure { throw failure }
    }

    /// Collects the results that end a COPY; the first error wins.
    private func finishCopy(_ conn: OpaquePointer) throws -> PostgresResult {
        var final: ResultHandle?
        var failure: PostgresError?
        while let raw = try nextResult(conn) {
            let handle = ResultHandle(raw, pq)
            let status = pq.resultStatus(raw)
            if status == PGRES_COMMAND_OK {
                final = handle
            } else if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                leaveCopy(conn, status)
            } else if failure == nil {
                failure = serverError(handle, conn)
            }
        }
        if let failure { throw failure }
        guard let final else { throw connectionError(conn) }
        return PostgresResult(handle: final)
    }
}
