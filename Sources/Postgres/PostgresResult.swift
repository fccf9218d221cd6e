/// Owns one `PGresult` and frees it when the last row or result referring to it goes.
/// A `PGresult` is never modified after libpq hands it over, so reading it from
/// several threads is safe.
final class ResultHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let pq: LibPQ

    init(_ pointer: OpaquePointer, _ pq: LibPQ) {
        self.pointer = pointer
        self.pq = pq
    }

    deinit { pq.clear(pointer) }

    var rowCount: Int { Int(pq.ntuples(pointer)) }
    var columnCount: Int { Int(pq.nfields(pointer)) }

    func columnName(_ column: Int) -> String {
        LibPQ.string(pq.fname(pointer, Int32(column))) ?? ""
    }

    /// Exact, case-sensitive match on the name the server sent.
    func columnIndex(named name: String) -> Int? {
        let count = columnCount
        return name.utf8CString.withUnsafeBufferPointer { wanted -> Int? in
            for column in 0..<count {
                guard let candidate = pq.fname(pointer, Int32(column)) else { continue }
                var i = 0
                while candidate[i] == wanted[i] {
                    if candidate[i] == 0 { return column }
                    i += 1
                }
            }
            return nil
        }
    }
}

/// The rows of one statement, kept in libpq's memory until the result (and every row
/// taken from it) is gone.
public struct PostgresResult: RandomAccessCollection, Sendable {
    let handle: ResultHandle

    init(handle: ResultHandle) {
        self.handle = handle
        count = handle.rowCount
    }

    public let count: Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(row: Int) -> PostgresRow {
        PostgresRow(handle: handle, row: Int32(row))
    }

    public var columns: [String] {
        (0..<handle.columnCount).map(handle.columnName)
    }

    /// Type OIDs of the columns (`PostgresOID`).
    public var columnTypes: [UInt32] {
        (0..<handle.columnCount).map { handle.pq.ftype(handle.pointer, Int32($0)) }
    }

    /// Rows inserted, updated, deleted, selected, copied or fetched, as the command tag
    /// says; 0 for commands without a count.
    public var affectedRows: Int {
        LibPQ.string(handle.pq.cmdTuples(handle.pointer)).flatMap { Int($0) } ?? 0
    }

    /// `INSERT 0 1`, `UPDATE 3`, `COMMIT`, `ROLLBACK`, …
    public var commandTag: String {
        LibPQ.string(handle.pq.cmdStatus(handle.pointer)) ?? ""
    }
}
