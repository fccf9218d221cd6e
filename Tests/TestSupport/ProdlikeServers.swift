import Foundation

/// The servers `scripts/servers.sh start prodlike` runs for the TLS, ACL and Sentinel
/// tests (scripts/test.sh starts them once per run), and the test CA's files.
public enum ProdlikeServers {
    /// TLS only, client certificates optional, ACL users `ops` and `reader`.
    public static let tlsPort = 6392
    /// TLS only, a client certificate required.
    public static let clientCertificatePort = 6393
    /// TLS only, a certificate for wrong.example.
    public static let wrongHostPort = 6394
    /// TLS only, a certificate that expired in 2020.
    public static let expiredPort = 6395
    /// The Sentinel group `waywise` (which of its two servers is the primary depends on
    /// the failovers the CLI tests have caused).
    public static let sentinelPorts = [26392, 26393, 26394]
    public static let sentinelMaster = "waywise"
    public static let groupPorts = [6396, 6397]

    public static let opsPassword = "ops-secret"
    public static let readerPassword = "reader-secret"

    /// `.local/prodlike/tls` of this checkout, or `$WWCTL_TEST_TLS_DIR`.
    public static var tlsDirectory: String {
        if let directory = ProcessInfo.processInfo.environment["WWCTL_TEST_TLS_DIR"], !directory.isEmpty { return directory }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".local/prodlike/tls").path
    }

    public static var caFile: String { tlsDirectory + "/ca.crt" }
    public static var clientCertificate: String { tlsDirectory + "/client.crt" }
    public static var clientKey: String { tlsDirectory + "/client.key" }

    /// `redis+sentinel://127.0.0.1:26392,…/waywise`.
    public static var sentinelURL: String {
        "redis+sentinel://" + sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/" + sentinelMaster
    }
}
