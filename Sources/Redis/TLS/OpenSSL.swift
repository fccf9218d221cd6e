import COpenSSL
import Glibc
import Support

/// libssl (and libcrypto through it), loaded with `dlopen` when the first TLS connection
/// is opened.
///
/// Linked, the two libraries cost every wwctl process about a millisecond of start-up
/// (their constructors and relocations), and most runs never speak TLS. COpenSSL therefore
/// provides only the header's constants; each function is looked up with `dlsym` and
/// called through the `@convention(c)` pointers below, whose types follow openssl/ssl.h.
/// Functions of libcrypto (ERR_*, X509_*) are found through libssl's handle, which
/// searches its dependencies. The table is built once and never unloaded. libpq, loaded
/// the same way, maps the same libssl.so.3: one copy of OpenSSL per process.
final class OpenSSL: @unchecked Sendable {
    typealias Context = OpaquePointer  // SSL_CTX *
    typealias Connection = OpaquePointer  // SSL *
    typealias CString = UnsafePointer<CChar>

    let clientMethod: @convention(c) () -> OpaquePointer?
    let contextNew: @convention(c) (OpaquePointer?) -> Context?
    let contextFree: @convention(c) (Context?) -> Void
    let contextControl: @convention(c) (Context?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    let contextSetVerify: @convention(c) (Context?, Int32, OpaquePointer?) -> Void
    let contextLoadVerifyLocations: @convention(c) (Context?, CString?, CString?) -> Int32
    let contextSetDefaultVerifyPaths: @convention(c) (Context?) -> Int32
    let contextUseCertificateChainFile: @convention(c) (Context?, CString?) -> Int32
    let contextUsePrivateKeyFile: @convention(c) (Context?, CString?, Int32) -> Int32
    let contextCheckPrivateKey: @convention(c) (Context?) -> Int32

    let new: @convention(c) (Context?) -> Connection?
    let free: @convention(c) (Connection?) -> Void
    let setFD: @convention(c) (Connection?, Int32) -> Int32
    let control: @convention(c) (Connection?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    let verifyParameters: @convention(c) (Connection?) -> OpaquePointer?
    let setVerifyHost: @convention(c) (OpaquePointer?, CString?, Int) -> Int32
    let setVerifyIP: @convention(c) (OpaquePointer?, CString?) -> Int32
    let connect: @convention(c) (Connection?) -> Int32
    let read: @convention(c) (Connection?, UnsafeMutableRawPointer?, Int32) -> Int32
    let peek: @convention(c) (Connection?, UnsafeMutableRawPointer?, Int32) -> Int32
    let write: @convention(c) (Connection?, UnsafeRawPointer?, Int32) -> Int32
    let getError: @convention(c) (Connection?, Int32) -> Int32
    let verifyResult: @convention(c) (Connection?) -> Int
    let version: @convention(c) (Connection?) -> CString?
    let currentCipher: @convention(c) (Connection?) -> OpaquePointer?
    let cipherName: @convention(c) (OpaquePointer?) -> CString?

    let verifyErrorString: @convention(c) (Int) -> CString?
    let errorGet: @convention(c) () -> UInt
    let errorClear: @convention(c) () -> Void
    let errorString: @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void

    private init(_ library: DynamicLibrary) throws(WWError) {
        func symbol<T>(_ name: String, as type: T.Type = T.self) throws(WWError) -> T {
            guard let pointer = library.address(name) else {
                throw WWError.unavailable("TLS: \(library.name) has no \(name); install libssl3")
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        clientMethod = try symbol("TLS_client_method")
        contextNew = try symbol("SSL_CTX_new")
        contextFree = try symbol("SSL_CTX_free")
        contextControl = try symbol("SSL_CTX_ctrl")
        contextSetVerify = try symbol("SSL_CTX_set_verify")
        contextLoadVerifyLocations = try symbol("SSL_CTX_load_verify_locations")
        contextSetDefaultVerifyPaths = try symbol("SSL_CTX_set_default_verify_paths")
        contextUseCertificateChainFile = try symbol("SSL_CTX_use_certificate_chain_file")
        contextUsePrivateKeyFile = try symbol("SSL_CTX_use_PrivateKey_file")
        contextCheckPrivateKey = try symbol("SSL_CTX_check_private_key")
        new = try symbol("SSL_new")
        free = try symbol("SSL_free")
        setFD = try symbol("SSL_set_fd")
        control = try symbol("SSL_ctrl")
        verifyParameters = try symbol("SSL_get0_param")
        setVerifyHost = try symbol("X509_VERIFY_PARAM_set1_host")
        setVerifyIP = try symbol("X509_VERIFY_PARAM_set1_ip_asc")
        connect = try symbol("SSL_connect")
        read = try symbol("SSL_read")
        peek = try symbol("SSL_peek")
        write = try symbol("SSL_write")
        getError = try symbol("SSL_get_error")
        verifyResult = try symbol("SSL_get_verify_result")
        version = try symbol("SSL_get_version")
        currentCipher = try symbol("SSL_get_current_cipher")
        cipherName = try symbol("SSL_CIPHER_get_name")
        verifyErrorString = try symbol("X509_verify_cert_error_string")
        errorGet = try symbol("ERR_get_error")
        errorClear = try symbol("ERR_clear_error")
        errorString = try symbol("ERR_error_string_n")
    }

    static let libraryNames = ["libssl.so.3"]

    static func load(names: [String] = libraryNames) -> Result<OpenSSL, WWError> {
        switch DynamicLibrary.open(firstOf: names) {
        case .success(let library):
            do { return .success(try OpenSSL(library)) } catch { return .failure(error) }
        case .failure(let failure):
            return .failure(.unavailable("TLS: could not load OpenSSL (\(failure.reason)); install libssl3"))
        }
    }

    private static let loaded = load()

    /// The process-wide table; loads libssl on the first call.
    static func shared() throws(WWError) -> OpenSSL {
        try loaded.get()
    }

    /// The oldest error queued on this thread by the last failed call, as one line
    /// (`error:0A000086:SSL routines::certificate verify failed`), then an empty queue.
    func takeError() -> String? {
        let code = errorGet()
        defer { errorClear() }
        guard code != 0 else { return nil }
        var text = [CChar](repeating: 0, count: 256)
        errorString(code, &text, text.count)
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func string(_ pointer: CString?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
