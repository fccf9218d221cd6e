import Foundation
import Postgres
import TestSupport

/// Runs `body` with a fresh `pgtest_*` database and a connection to it; drops it after.
func withDatabase<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
    try TestDatabase.withConnection(prefix: "pgtest", body)
}

/// A value shared between test threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }

    var current: Value { withLock { $0 } }
}

/// Runs each closure on its own thread and waits for all of them.
func runOnThreads(_ bodies: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for body in bodies {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.start()
    }
    group.wait()
}
