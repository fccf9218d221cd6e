import COpenSSL
import Glibc

/// The sole owner of one `SSL` (one connection's TLS state over its socket); deinit frees
/// it with `SSL_free`. It holds its `TLSContext`, so the context outlives it.
///
/// The socket is non-blocking: every call that answers "want read/write" waits in `poll`
/// for what is left of the round trip's deadline and is retried. OpenSSL writes with
/// `write(2)`, so each call runs under `SigpipeGuard`: a server gone away is an error,
/// not a SIGPIPE.
final class TLSSession {
    private let context: TLSContext
    private let raw: OpenSSL.Connection
    /// The name the certificate must match: `--sni`, else the host connected to.
    let checkedName: String

    private var library: OpenSSL { context.library }

    init(context: TLSContext, socket: SocketDescriptor, host: String) throws(TransportFailure) {
        guard let raw = context.library.new(context.raw) else { throw .outOfMemory }
        self.context = context
        self.raw = raw
        let name = context.options.serverName ?? host
        checkedName = name
        guard context.library.setFD(raw, socket.fd) == 1 else { throw .outOfMemory }
        let isAddress = Self.isIPAddress(name)
        // SNI carries host names only (RFC 6066), never an address.
        if !isAddress {
            _ = name.withCString {
                context.library.control(raw, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: $0))
            }
        }
        if context.options.verifyPeer {
            let parameters = context.library.verifyParameters(raw)
            let set = isAddress
                ? context.library.setVerifyIP(parameters, name)
                : context.library.setVerifyHost(parameters, name, 0)
            guard set == 1 else { throw .tls(TLSFailure(reason: .verification, detail: "cannot check the certificate against '\(name)'")) }
        }
    }

    deinit { library.free(raw) }

    /// The client side of the handshake, within the deadline; verification failures are
    /// told apart by OpenSSL's verify result.
    func handshake(on socket: SocketDescriptor, deadline: Deadline) throws(TransportFailure) {
        while true {
            guard !deadline.hasPassed else { throw .timedOut(.handshake) }
            library.errorClear()
            let (result, code, systemError) = SigpipeGuard.run {
                let result = library.connect(raw)
                let systemError = errno
                return (result, library.getError(raw, result), systemError)
            }
            if result == 1 { return }
            switch code {
            case SSL_ERROR_WANT_READ:
                guard socket.wait(for: Int16(POLLIN), until: deadline) else { throw .timedOut(.handshake) }
            case SSL_ERROR_WANT_WRITE:
                guard socket.wait(for: Int16(POLLOUT), until: deadline) else { throw .timedOut(.handshake) }
            default:
                throw .tls(handshakeFailure(code: code, systemError: systemError))
            }
        }
    }

    private func handshakeFailure(code: Int32, systemError: Int32) -> TLSFailure {
        let queued = library.takeError()
        let verify = library.verifyResult(raw)
        if context.options.verifyPeer && verify != Int(X509_V_OK) {
            let detail = OpenSSL.string(library.verifyErrorString(verify)) ?? "verify error \(verify)"
            switch Int32(verify) {
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
                 X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
                 X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
                return TLSFailure(reason: .unknownCA, detail: detail)
            case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
                return TLSFailure(reason: .nameMismatch, detail: detail, checkedName: checkedName)
            case X509_V_ERR_CERT_HAS_EXPIRED:
                return TLSFailure(reason: .expired, detail: detail)
            case X509_V_ERR_CERT_NOT_YET_VALID:
                return TLSFailure(reason: .notYetValid, detail: detail)
            default:
                return TLSFailure(reason: .verification, detail: detail)
            }
        }
        if let queued {
            let reason = TLSContext.reason(of: queued)
            let hint = ["wrong version number", "packet length too long", "record layer failure"].contains(reason)
                ? " (not a TLS port?)" : ""
            if reason == "unexpected eof while reading" {
                return TLSFailure(reason: .refused, detail: "the server closed the connection during the handshake")
            }
            return TLSFailure(reason: .refused, detail: reason + hint)
        }
        if code == SSL_ERROR_SYSCALL && systemError != 0 {
            return TLSFailure(reason: .refused, detail: String(cString: strerror(systemError)).lowercased())
        }
        return TLSFailure(reason: .refused, detail: "the server closed the connection during the handshake")
    }

    /// Reads decrypted bytes into `buffer`, waiting for at least one until the deadline.
    func read(into buffer: UnsafeMutableRawBufferPointer, on socket: SocketDescriptor, deadline: Deadline) throws(TransportFailure) -> Int {
        let count = Int32(clamping: buffer.count)
        return try transfer(.reading, on: socket, deadline: deadline) { library.read(raw, buffer.baseAddress, count) }
    }

    /// Encrypts and sends part of `bytes` (at least one byte), waiting until the deadline.
    func write(_ bytes: UnsafeRawBufferPointer, on socket: SocketDescriptor, deadline: Deadline) throws(TransportFailure) -> Int {
        let count = Int32(clamping: min(bytes.count, 1 << 20))
        return try transfer(.writing, on: socket, deadline: deadline) { library.write(raw, bytes.baseAddress, count) }
    }

    /// Runs `call` (SSL_read or SSL_write) until it moves at least one byte, waiting for
    /// what OpenSSL wants in between.
    private func transfer(
        _ phase: TransportFailure.Phase, on socket: SocketDescriptor, deadline: Deadline, _ call: () -> Int32
    ) throws(TransportFailure) -> Int {
        while true {
            guard !deadline.hasPassed else { throw .timedOut(phase) }
            library.errorClear()
            let (result, code, systemError) = SigpipeGuard.run {
                let result = call()
                let systemError = errno
                return (result, result > 0 ? SSL_ERROR_NONE : library.getError(raw, result), systemError)
            }
            if result > 0 { return Int(result) }
            try wait(after: code, systemError: systemError, on: socket, deadline: deadline, phase: phase)
        }
    }

    /// After a call that did not complete: waits for what OpenSSL wants, or throws what went wrong.
    private func wait(
        after code: Int32, systemError: Int32, on socket: SocketDescriptor, deadline: Deadline, phase: TransportFailure.Phase
    ) throws(TransportFailure) {
        switch code {
        case SSL_ERROR_WANT_READ:
            guard socket.wait(for: Int16(POLLIN), until: deadline) else { throw .timedOut(phase) }
        case SSL_ERROR_WANT_WRITE:
            guard socket.wait(for: Int16(POLLOUT), until: deadline) else { throw .timedOut(phase) }
        case SSL_ERROR_ZERO_RETURN:
            throw .closedByServer
        case SSL_ERROR_SYSCALL:
            _ = library.takeError()
            if systemError == 0 || systemError == ECONNRESET && phase == .reading { throw .closedByServer }
            throw .system(String(cString: strerror(systemError)))
        default:
            let detail = library.takeError().map(TLSContext.reason(of:)) ?? "error \(code)"
            // OpenSSL 3 reports a peer that closed without close_notify this way.
            if detail == "unexpected eof while reading" { throw .closedByServer }
            // With TLS 1.3 the server checks the client's certificate after the client has
            // finished its handshake: its refusal arrives as an alert on the first read.
            throw .tls(TLSFailure(reason: detail.contains("alert") ? .refused : .broken, detail: detail))
        }
    }

    /// Whether the server closed the idle connection (or sent something unasked for).
    /// Readable alone proves nothing over TLS: a TLS 1.3 server sends session tickets
    /// after the handshake, which a peek consumes and answers "want read".
    func isClosedWhileIdle(_ socket: SocketDescriptor) -> Bool {
        guard socket.isReadable else { return false }
        var byte: UInt8 = 0
        library.errorClear()
        let (result, code) = SigpipeGuard.run {
            let result = library.peek(raw, &byte, 1)
            return (result, result > 0 ? SSL_ERROR_NONE : library.getError(raw, result))
        }
        if result <= 0 && code == SSL_ERROR_WANT_READ { return false }
        _ = library.takeError()
        return true
    }

    /// `TLSv1.3`.
    var protocolVersion: String? { OpenSSL.string(library.version(raw)) }

    /// `TLS_AES_256_GCM_SHA384`.
    var cipher: String? { library.currentCipher(raw).flatMap { OpenSSL.string(library.cipherName($0)) } }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
