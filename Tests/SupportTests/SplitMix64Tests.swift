import Testing
import Support

@Suite struct SplitMix64Tests {
    @Test func matchesTheReferenceSequence() {
        // Vigna's splitmix64.c seeded with 0.
        var rng = SplitMix64(state: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func mixIsTheFirstDrawFromAState() {
        for state: UInt64 in [0, 1, 42, .max] {
            var rng = SplitMix64(state: state)
            #expect(SplitMix64.mix(state) == rng.next())
        }
    }
}
