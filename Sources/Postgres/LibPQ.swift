import CLibpq
import Glibc
import Support

/// libpq, loaded with `dlopen` on first use.
///
/// Linking libpq would make every wwctl process map it, and with it OpenSSL, Kerberos
/// and LDAP: several milliseconds per start for commands that never touch PostgreSQL.
/// CLibpq therefore provides only the header's types; each function is looked up with
/// `dlsym` and called through the `@convention(c)` pointers below, whose types follow
/// libpq-fe.h. The table is built once (Swift's lazy globals are thread-safe) and never
/// unloaded, so the pointers stay valid for the life of the process.
final class LibPQ: @unchecked Sendable {
    typealias Conn = OpaquePointer
    typealias Result = OpaquePointer
    typealias CString = UnsafePointer<CChar>

    let connectdbParams: @convention(c) (
        UnsafePointer<CString?>?, UnsafePointer<CString?>?, Int32) -> Conn?
    let finish: @convention(c) (Conn?) -> Void
    let reset: @convention(c) (Conn?) -> Void
    let status: @convention(c) (Conn?) -> ConnStatusType
    let transactionStatus: @convention(c) (Conn?) -> PGTransactionStatusType
    let errorMessage: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let serverVersion: @convention(c) (Conn?) -> Int32
    let libVersion: @convention(c) () -> Int32
    let backendPID: @convention(c) (Conn?) -> Int32
    let host: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let port: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let db: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let sslInUse: @convention(c) (Conn?) -> Int32
    let sslAttribute: @convention(c) (Conn?, CString?) -> CString?
    let setNoticeProcessor: @convention(c) (
        Conn?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?

    let execParams: @convention(c) (
        Conn?, CString?, Int32, UnsafePointer<Oid>?, UnsafePointer<CString?>?,
        UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Result?
    let sendQueryParams: @convention(c) (
        Conn?, CString?, Int32, UnsafePointer<Oid>?, UnsafePointer<CString?>?,
        UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Int32
    let setSingleRowMode: @convention(c) (Conn?) -> Int32
    let getResult: @convention(c) (Conn?) -> Result?

    let resultStatus: @convention(c) (Result?) -> ExecStatusType
    let resultErrorField: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let resultErrorMessage: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let ntuples: @convention(c) (Result?) -> Int32
    let nfields: @convention(c) (Result?) -> Int32
    let fname: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let ftype: @convention(c) (Result?, Int32) -> Oid
    let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let getlength: @convention(c) (Result?, Int32, Int32) -> Int32
    let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let cmdStatus: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let cmdTuples: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let clear: @convention(c) (Result?) -> Void

    let putCopyData: @convention(c) (Conn?, CString?, Int32) -> Int32
    let putCopyEnd: @convention(c) (Conn?, CString?) -> Int32
    let getCopyData: @convention(c) (Conn?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32) -> Int32
    let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void

    let socket: @convention(c) (Conn?) -> Int32
    let consumeInput: @convention(c) (Conn?) -> Int32
    let isBusy: @convention(c) (Conn?) -> Int32
    let pingParams: @convention(c) (UnsafePointer<CString?>?, UnsafePointer<CString?>?, Int32) -> PGPing
    let conninfoParse: @convention(c) (CString?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutablePointer<PQconninfoOption>?
    let conninfoFree: @convention(c) (UnsafeMutablePointer<PQconninfoOption>?) -> Void

    let getCancel: @convention(c) (Conn?) -> OpaquePointer?
    let freeCancel: @convention(c) (OpaquePointer?) -> Void
    let cancel: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32

    /// Whether libpq was already mapped into the process when this table was first
    /// built: true would mean something linked it after all (see the tests).
    let wasLoadedBeforeFirstUse: Bool

    private init(_ library: DynamicLibrary) throws(WWError) {
        func symbol<T>(_ name: String, as type: T.Type = T.self) throws(WWError) -> T {
            guard let pointer = library.address(name) else {
                throw WWError.unavailable("postgres: \(library.name) has no \(name); install a newer libpq5")
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        wasLoadedBeforeFirstUse = library.wasLoaded
        connectdbParams = try symbol("PQconnectdbParams")
        finish = try symbol("PQfinish")
        reset = try symbol("PQreset")
        status = try symbol("PQstatus")
        transactionStatus = try symbol("PQtransactionStatus")
        errorMessage = try symbol("PQerrorMessage")
        serverVersion = try symbol("PQserverVersion")
        libVersion = try symbol("PQlibVersion")
        backendPID = try symbol("PQbackendPID")
        host = try symbol("PQhost")
        port = try symbol("PQport")
        db = try symbol("PQdb")
        sslInUse = try symbol("PQsslInUse")
        sslAttribute = try symbol("PQsslAttribute")
        setNoticeProcessor = try symbol("PQsetNoticeProcessor")
        execParams = try symbol("PQexecParams")
        sendQueryParams = try symbol("PQsendQueryParams")
        setSingleRowMode = try symbol("PQsetSingleRowMode")
        getResult = try symbol("PQgetResult")
        resultStatus = try symbol("PQresultStatus")
        resultErrorField = try symbol("PQresultErrorField")
        resultErrorMessage = try symbol("PQresultErrorMessage")
        ntuples = try symbol("PQntuples")
        nfields = try symbol("PQnfields")
        fname = try symbol("PQfname")
        ftype = try symbol("PQftype")
        getvalue = try symbol("PQgetvalue")
        getlength = try symbol("PQgetlength")
        getisnull = try symbol("PQgetisnull")
        cmdStatus = try symbol("PQcmdStatus")
        cmdTuples = try symbol("PQcmdTuples")
        clear = try symbol("PQclear")
        putCopyData = try symbol("PQputCopyData")
        putCopyEnd = try symbol("PQputCopyEnd")
        getCopyData = try symbol("PQgetCopyData")
        freemem = try symbol("PQfreemem")
        socket = try symbol("PQsocket")
        consumeInput = try symbol("PQconsumeInput")
        isBusy = try symbol("PQisBusy")
        pingParams = try symbol("PQpingParams")
        conninfoParse = try symbol("PQconninfoParse")
        conninfoFree = try symbol("PQconninfoFree")
        getCancel = try symbol("PQgetCancel")
        freeCancel = try symbol("PQfreeCancel")
        cancel = try symbol("PQcancel")
    }

    #if os(macOS)
    static let libraryNames = ["libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib", "/usr/local/opt/libpq/lib/libpq.5.dylib"]
    #else
    static let libraryNames = ["libpq.so.5"]
    #endif

    /// Opens the first library of `names` that loads.
    static func load(names: [String] = libraryNames) -> Swift.Result<LibPQ, WWError> {
        switch DynamicLibrary.open(firstOf: names) {
        case .success(let library):
            do { return .success(try LibPQ(library)) } catch { return .failure(error) }
        case .failure(let failure):
            return .failure(.unavailable("postgres: could not load libpq (\(failure.reason)); install libpq5"))
        }
    }

    private static let loaded = load()

    /// The process-wide table; loads libpq on the first call.
    static func shared() throws(WWError) -> LibPQ {
        try loaded.get()
    }

    // MARK: conveniences over the raw pointers

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
