import Testing
@testable import CacheOps

/// The ranking `top keys` keeps during a walk: the highest scores only, items built only
/// when they enter.
@Suite struct TopRankingTests {
    @Test func keepsTheHighestScoresInOrder() {
        var ranking = TopRanking<Int>(capacity: 3)
        for value in [5, 1, 9, 3, 7, 9, 2] { ranking.offer(Double(value)) { value } }
        #expect(ranking.ranked == [9, 9, 7])
    }

    @Test func buildsAnItemOnlyWhenItEnters() {
        var ranking = TopRanking<Int>(capacity: 2)
        var built = 0
        for value in [10, 20, 1, 2, 3, 30] {
            ranking.offer(Double(value)) {
                built += 1
                return value
            }
        }
        #expect(built == 3)
        #expect(ranking.ranked == [30, 20])
        #expect(!ranking.admits(20) && ranking.admits(21))
    }

    @Test func tiesKeepTheirArrivalOrderAndZeroCapacityKeepsNothing() {
        var ranking = TopRanking<String>(capacity: 3)
        for name in ["a", "b", "c", "d"] { ranking.offer(1) { name } }
        #expect(ranking.ranked == ["a", "b", "c"])
        var none = TopRanking<String>(capacity: 0)
        none.offer(5) { "x" }
        #expect(none.isEmpty)
    }
}
