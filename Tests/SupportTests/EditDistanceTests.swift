import Support
import Testing

@Suite struct EditDistanceTests {
    @Test func countsInsertionsDeletionsAndSubstitutions() {
        #expect(EditDistance.optimalStringAlignment(Array("kitten"), Array("sitting")) == 3)
        #expect(EditDistance.optimalStringAlignment(Array(""), Array("abc")) == 3)
        #expect(EditDistance.optimalStringAlignment(Array("abc"), Array("")) == 3)
        #expect(EditDistance.optimalStringAlignment(Array("same"), Array("same")) == 0)
    }

    @Test func anAdjacentSwapCostsOne() {
        #expect(EditDistance.optimalStringAlignment(Array("pnig"), Array("ping")) == 1)
        #expect(EditDistance.optimalStringAlignment(Array("prodcut"), Array("product")) == 1)
        // Optimal string alignment, not full Damerau-Levenshtein: no edit of a swapped pair.
        #expect(EditDistance.optimalStringAlignment(Array("ca"), Array("abc")) == 3)
    }

    @Test func worksOnAnyElements() {
        #expect(EditDistance.optimalStringAlignment([1, 2, 3], [1, 3, 2]) == 1)
        #expect(EditDistance.optimalStringAlignment(Array("é".unicodeScalars), Array("e".unicodeScalars)) == 1)
    }

    @Test func ignoringCaseComparesLowercased() {
        #expect(EditDistance.ignoringCase("PING", "ping") == 0)
        #expect(EditDistance.ignoringCase("Familes", "families") == 1)
    }
}
