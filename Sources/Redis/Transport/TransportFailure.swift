/// Why opening, writing or reading a connection failed. `RedisConnection` turns it into a
/// `RedisError` naming the server.
enum TransportFailure: Error {
    enum Phase: Sendable {
        case connecting, handshake, writing, reading
    }

    /// The round trip's deadline passed.
    case timedOut(Phase)
    case refused
    case noSuchSocket
    /// The host name did not resolve (the resolver's message).
    case unresolved(String)
    /// Connecting failed otherwise (the system's message).
    case cannotConnect(String)
    /// The server closed the connection (end of stream).
    case closedByServer
    /// A read or write failed (the system's message).
    case system(String)
    /// The bytes are not RESP (hiredis' reader's message).
    case protocolError(String)
    case tls(TLSFailure)
    case outOfMemory
}

/// A failed TLS handshake or TLS record, by what an operator must fix.
struct TLSFailure: Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// The chain does not lead to a trusted CA (give it with --cacert).
        case unknownCA
        /// The certificate does not name the host (or --sni).
        case nameMismatch
        case expired
        case notYetValid
        /// Any other verification failure (revoked, bad signature, wrong purpose…).
        case verification
        /// The server ended the handshake: an alert (no client certificate, no common
        /// protocol version or cipher), a plain-text port, or a closed connection.
        case refused
        /// A TLS error after the handshake.
        case broken
    }

    let reason: Reason
    /// OpenSSL's words for it (`unable to get local issuer certificate`).
    let detail: String
    /// The name the certificate was checked against, for name mismatches.
    var checkedName: String? = nil

    var message: String {
        switch reason {
        case .unknownCA:
            "TLS: server certificate is not signed by a trusted CA (\(detail)); give the CA with --cacert"
        case .nameMismatch:
            "TLS: server certificate does not match \(checkedName.map { "'\($0)'" } ?? "the host name") (\(detail))"
        case .expired:
            "TLS: server certificate has expired (\(detail))"
        case .notYetValid:
            "TLS: server certificate is not yet valid (\(detail))"
        case .verification:
            "TLS: server certificate refused (\(detail))"
        case .refused where detail.contains("certificate required"):
            "TLS handshake refused: the server requires a client certificate (\(detail)); give one with --cert and --key"
        case .refused:
            "TLS handshake refused: \(detail)"
        case .broken:
            "TLS error: \(detail)"
        }
    }
}
