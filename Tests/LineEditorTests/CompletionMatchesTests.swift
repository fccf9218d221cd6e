import Glibc
@testable import LineEditor
import Testing

@Suite struct CompletionMatchesTests {
    /// libedit deletes the word it found and inserts entry 0: the word comes back with the
    /// insertion after it, whatever libedit took the word to be.
    @Test func aUniqueMatchIsOneEntryHoldingTheWordAndTheInsertion() {
        let reply = CompletionReply(insertion: "ng", candidates: ["ping"], isComplete: true)
        #expect(CompletionMatches.entries(word: "pi", reply: reply) == ["ping"])
        let quoted = CompletionReply(insertion: "ey'", candidates: ["a key"], isComplete: true)
        #expect(CompletionMatches.entries(word: "k", reply: quoted) == ["key'"])
    }

    @Test func severalMatchesFollowTheCommonPart() {
        let reply = CompletionReply(insertion: "g:", candidates: ["org:1", "org:2"], isComplete: false)
        #expect(CompletionMatches.entries(word: "or", reply: reply) == ["org:", "org:1", "org:2"])
    }

    @Test func noCandidatesMeansNoEdit() {
        let reply = CompletionReply(insertion: "", candidates: [], isComplete: false)
        #expect(CompletionMatches.entries(word: "x", reply: reply) == nil)
    }

    /// libedit reads `matches[2]` before `matches[1]`, so even one entry needs two NULLs after it.
    @Test func theCArrayEndsWithTwoNulls() throws {
        let array = try #require(CompletionMatches.cArray(["ping"]))
        defer {
            free(array[0])
            free(array)
        }
        #expect(String(cString: try #require(array[0])) == "ping")
        #expect(array[1] == nil)
        #expect(array[2] == nil)
    }
}
