import Synchronization

/// Cancels whatever statement a connection is running, from any thread (a Ctrl-C
/// handler, a watchdog). It is the one part of a connection that may be shared:
/// take `connection.canceller` and hand it to the other thread.
///
/// It holds libpq's `PGcancel` for the connection's current backend (replaced when the
/// connection is re-established); `PQcancel` on it is thread-safe, and the lock keeps
/// the connection from freeing it while a cancel is being sent.
public final class PostgresCanceller: Sendable {
    private let pq: LibPQ
    /// The `PGcancel *` as an address (0 for none), so the lock guards a plain value.
    private let handle = Mutex<UInt>(0)
    private let requested = Atomic<Bool>(false)

    init(pq: LibPQ) {
        self.pq = pq
    }

    deinit {
        uninstall()
    }

    /// Asks the server to cancel the running statement, which then fails with
    /// `.interrupted`. Returns false when there was no connection to cancel on or the
    /// request could not be delivered. Cancelling while nothing runs has no effect on
    /// the server; the connection stays usable either way.
    @discardableResult
    public func cancel() -> Bool {
        requested.store(true, ordering: .sequentiallyConsistent)
        return send()
    }

    /// Whether `cancel()` was called: a statement cancelled since then is reported as
    /// interrupted rather than timed out.
    public var wasRequested: Bool {
        requested.load(ordering: .sequentiallyConsistent)
    }

    /// Whether `cancel()` was called since the last call of this, clearing the request: it
    /// explains one cancelled statement, not every later one (a statement timeout after
    /// an earlier Ctrl-C is still a timeout).
    func takeRequest() -> Bool {
        requested.exchange(false, ordering: .sequentiallyConsistent)
    }

    /// A cancel of wwctl's own making (abandoning a stream), not the operator's.
    @discardableResult
    func send() -> Bool {
        handle.withLock { address in
            guard let cancel = OpaquePointer(bitPattern: address) else { return false }
            var errorBuffer = [CChar](repeating: 0, count: 256)
            return pq.cancel(cancel, &errorBuffer, Int32(errorBuffer.count)) == 1
        }
    }

    func install(from conn: OpaquePointer) {
        let fresh = UInt(bitPattern: pq.getCancel(conn))
        let old = handle.withLock { current in
            let old = current
            current = fresh
            return old
        }
        if let old = OpaquePointer(bitPattern: old) { pq.freeCancel(old) }
    }

    func uninstall() {
        let old = handle.withLock { current in
            let old = current
            current = 0
            return old
        }
        if let old = OpaquePointer(bitPattern: old) { pq.freeCancel(old) }
    }
}
