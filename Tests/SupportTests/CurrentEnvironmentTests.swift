import Foundation
import Testing
@testable import Support

@Suite struct CurrentEnvironmentTests {
    @Test func matchesFoundationsView() {
        setenv("WWCTL_ENV_TEST", "a=b=c", 1)
        defer { unsetenv("WWCTL_ENV_TEST") }
        let ours = CurrentEnvironment.read()
        #expect(ours["WWCTL_ENV_TEST"] == "a=b=c")
        #expect(ours["PATH"] == String(cString: getenv("PATH")))
        #expect(ours.count >= 3)
    }
}
