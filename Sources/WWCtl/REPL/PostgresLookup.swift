import Postgres
import Support

/// The REPL's PostgreSQL connection for Tab completion (user and org ids): its own, with a
/// short connect timeout and statement timeout, so completion neither hangs the prompt nor
/// disturbs a transaction of the session's. A failure means no candidates; the connection
/// is made again on the next Tab. Used from the line editor's thread only.
final class PostgresLookup: @unchecked Sendable {
    private var connection: PostgresConnection?
    private var conninfo: String??

    /// `body` on a connection to `conninfo`, or nil when there is none to be had.
    func run<T>(_ conninfo: String?, _ body: (PostgresConnection) throws -> T) -> T? {
        if connection == nil || self.conninfo != .some(conninfo) {
            close()
            connection = try? PostgresConnection(
                conninfo: conninfo, connectTimeout: 2, applicationName: "wwctl-completion", statementTimeoutSeconds: 1)
            self.conninfo = .some(conninfo)
        }
        guard let connection else { return nil }
        do {
            return try body(connection)
        } catch {
            close()
            return nil
        }
    }

    func close() {
        connection?.close()
        connection = nil
        conninfo = nil
    }
}
