import Support
import Testing

@Suite struct InterruptTests {
    /// A scope's interrupt is seen only inside the scope, so a test requesting one cannot
    /// stop another test's walk.
    @Test func aScopedInterruptStaysInItsScope() {
        let scope = Interrupt.Scope()
        Interrupt.$scope.withValue(scope) {
            #expect(!Interrupt.isRequested)
            scope.request()
            #expect(Interrupt.isRequested)
            #expect(throws: WWError.interrupted) { try Interrupt.check() }
        }
        #expect(!Interrupt.isRequested)
        Interrupt.$scope.withValue(Interrupt.Scope()) { #expect(!Interrupt.isRequested) }
    }
}
