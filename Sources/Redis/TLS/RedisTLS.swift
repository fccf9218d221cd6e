/// How to speak TLS to a Redis server, as redis-cli's options name it: `--cacert`,
/// `--cacertdir`, `--cert`, `--key`, `--sni`, `--insecure`.
///
/// Verification is on unless `verifyPeer` is false: the server's certificate must chain to
/// `caFile`/`caDirectory` (the system store when neither is given) and name the host
/// connected to (`serverName` when set), as a DNS name or, for an address such as
/// 127.0.0.1, as an IP address.
public struct RedisTLS: Sendable, Hashable {
    /// PEM file of trusted CA certificates (`--cacert`).
    public var caFile: String?
    /// Directory of trusted CA certificates, hashed with `openssl rehash` (`--cacertdir`).
    public var caDirectory: String?
    /// PEM client certificate chain, for servers that verify clients (`--cert`).
    public var certificateFile: String?
    /// PEM private key of `certificateFile` (`--key`).
    public var keyFile: String?
    /// The name sent as SNI and checked against the certificate, instead of the host (`--sni`).
    public var serverName: String?
    /// False skips every check of the server's certificate (`--insecure`).
    public var verifyPeer: Bool

    public init(
        caFile: String? = nil, caDirectory: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
        serverName: String? = nil, verifyPeer: Bool = true
    ) {
        self.caFile = caFile
        self.caDirectory = caDirectory
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
        self.verifyPeer = verifyPeer
    }
}
