import Foundation

/// Lets `parties` threads wait for each other; gives up after `timeout` seconds so a
/// broken test fails instead of hanging.
public final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    public init(parties: Int) { self.parties = parties }

    @discardableResult
    public func arriveAndWait(timeout: TimeInterval = 60) -> Bool {
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
