import Support

/// Runs `body` with an interrupt of its own (`Interrupt.scope`): what the test requests
/// stops only the walks it runs, never those of tests running at the same time.
public func withOwnInterrupt<T>(_ body: (Interrupt.Scope) throws -> T) rethrows -> T {
    let interrupt = Interrupt.Scope()
    return try Interrupt.$scope.withValue(interrupt) { try body(interrupt) }
}
