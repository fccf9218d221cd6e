import Foundation
import Postgres
import TestSupport

/// Runs `body` with a fresh `pgtest_*` database and a connection to it; drops it after.
func withDatabase<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
    try TestDatabase.with(prefix: "pgtest") { database in
        let connection = try database.connect()
        defer { connection.close() }
        return try body(database, connection)
    }
}

/// Lets `parties` threads wait for each other; gives up after `timeout` seconds so a
/// broken test fails instead of hanging.
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    @discardableResult
    func arriveAndWait(timeout: TimeInterval = 60) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= parties {
            condition.broadcast()
            return true
        }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while arrived < parties {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
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
