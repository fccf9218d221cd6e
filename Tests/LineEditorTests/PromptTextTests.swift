@testable import LineEditor
import Testing

@Suite struct PromptTextTests {
    @Test func colourSequencesAreMarkedInvisible() {
        let prompt = "wwctl \u{1B}[7m\u{1B}[31mprod\u{1B}[0m\u{1B}[0m redis@h:1/0> "
        #expect(PromptText.markingInvisible(prompt)
            == "wwctl \u{1}\u{1B}[7m\u{2}\u{1}\u{1B}[31m\u{2}prod\u{1}\u{1B}[0m\u{2}\u{1}\u{1B}[0m\u{2} redis@h:1/0> ")
    }

    @Test func plainTextIsUnchanged() {
        let prompt = "wwctl redis@127.0.0.1:6379/0 pg@db1/waywise> "
        #expect(PromptText.markingInvisible(prompt) == prompt)
    }

    @Test func anUnterminatedSequenceIsStillHidden() {
        #expect(PromptText.markingInvisible("a\u{1B}[31") == "a\u{1}\u{1B}[31\u{2}")
    }
}
