import COpenSSL
import Support
import Synchronization

/// The sole owner of one `SSL_CTX`: the trusted CAs, the client certificate and the
/// verification mode of one `RedisTLS`. Its deinit frees it with `SSL_CTX_free`.
///
/// Loading a CA store costs milliseconds, so contexts are built once per distinct
/// `RedisTLS` and shared by every connection using it (an `SSL_CTX` may be used by many
/// threads once configured; each connection's `TLSSession` holds a reference).
final class TLSContext: @unchecked Sendable {
    let library: OpenSSL
    let raw: OpenSSL.Context
    let options: RedisTLS

    private init(library: OpenSSL, raw: OpenSSL.Context, options: RedisTLS) {
        self.library = library
        self.raw = raw
        self.options = options
    }

    deinit { library.contextFree(raw) }

    private static let cache = Mutex<[RedisTLS: TLSContext]>([:])

    /// The shared context for `options`, built on first use. A file that cannot be used
    /// (missing, not PEM, a key that does not match its certificate) is a usage error
    /// naming it.
    static func shared(for options: RedisTLS) throws(WWError) -> TLSContext {
        if let cached = cache.withLock({ $0[options] }) { return cached }
        let built = try build(options)
        return cache.withLock { contexts in
            if let raced = contexts[options] { return raced }
            contexts[options] = built
            return built
        }
    }

    private static func build(_ options: RedisTLS) throws(WWError) -> TLSContext {
        let library = try OpenSSL.shared()
        library.errorClear()
        guard let method = library.clientMethod(), let raw = library.contextNew(method) else {
            throw WWError.internalError("TLS: cannot create a context: \(library.takeError() ?? "out of memory")")
        }
        let context = TLSContext(library: library, raw: raw, options: options)
        func failure(_ what: String) -> WWError {
            let reason = library.takeError().map { ": \(Self.reason(of: $0))" } ?? ""
            return WWError.usage("TLS: \(what)\(reason)")
        }
        _ = library.contextControl(raw, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        // Writes may be partial and retried from a buffer that has moved: the transport
        // writes from its own buffers, non-blocking.
        _ = library.contextControl(
            raw, SSL_CTRL_MODE, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), nil)
        if options.verifyPeer {
            library.contextSetVerify(raw, SSL_VERIFY_PEER, nil)
            if options.caFile != nil || options.caDirectory != nil {
                guard library.contextLoadVerifyLocations(raw, options.caFile, options.caDirectory) == 1 else {
                    let what = [options.caFile.map { "CA file \($0)" }, options.caDirectory.map { "CA directory \($0)" }]
                        .compactMap { $0 }.joined(separator: " or ")
                    throw failure("cannot load \(what)")
                }
            } else if library.contextSetDefaultVerifyPaths(raw) != 1 {
                throw failure("cannot load the system's trusted CA certificates")
            }
        } else {
            library.contextSetVerify(raw, SSL_VERIFY_NONE, nil)
        }
        if let certificate = options.certificateFile {
            guard library.contextUseCertificateChainFile(raw, certificate) == 1 else {
                throw failure("cannot load client certificate \(certificate)")
            }
            let key = options.keyFile ?? certificate
            guard library.contextUsePrivateKeyFile(raw, key, SSL_FILETYPE_PEM) == 1 else {
                throw failure("cannot load private key \(key)")
            }
            guard library.contextCheckPrivateKey(raw) == 1 else {
                throw failure("private key \(key) does not match certificate \(certificate)")
            }
        }
        return context
    }

    /// `error:80000002:system library::No such file or directory` → `No such file or directory`:
    /// the last field of an OpenSSL error line is its reason.
    static func reason(of line: String) -> String {
        line.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? line
    }
}
