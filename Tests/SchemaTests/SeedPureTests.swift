import Testing
@testable import Schema
import Support

/// The parts of migrations and seeding that need no server.
@Suite struct ChecksumAndScriptTests {
    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hexDigest(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hexDigest(of: Array(twoBlocks.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func checksumFollowsTheSQL() {
        let a = Migration(version: 1, name: "a", sql: "CREATE TABLE a (id int)")
        let b = Migration(version: 1, name: "a", sql: "CREATE TABLE a (id bigint)")
        #expect(a.checksum == Migration(version: 1, name: "a", sql: "CREATE TABLE a (id int)").checksum)
        #expect(a.checksum != b.checksum)
    }

    @Test func carriedMigrationsHaveIncreasingVersions() {
        let versions = Migrations.all.map(\.version)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
        #expect(Migrations.latestVersion == versions.last)
    }

    @Test func splitsOnlyOnStatementSemicolons() {
        let sql = """
            -- a comment; not a statement
            CREATE TABLE t (note text DEFAULT 'a;b', "odd;name" int);
            /* block; /* nested; */ still comment; */
            INSERT INTO t (note) VALUES ('it''s; fine'), (E'back\\'slash;');
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END $fn$;
            SELECT $1::int;
            DO $$ BEGIN PERFORM 1; END $$
            """
        let statements = SQLScript.statements(in: sql)
        #expect(statements.count == 5)
        #expect(statements[0].hasSuffix(#"CREATE TABLE t (note text DEFAULT 'a;b', "odd;name" int)"#))
        #expect(statements[1].hasSuffix(#"VALUES ('it''s; fine'), (E'back\'slash;')"#))
        #expect(statements[2] == "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END $fn$")
        #expect(statements[3] == "SELECT $1::int")
        #expect(statements[4] == "DO $$ BEGIN PERFORM 1; END $$")
    }

    @Test func splitsTheCarriedMigrationsIntoWholeStatements() {
        let statements = Migrations.all.flatMap { SQLScript.statements(in: $0.sql) }
        #expect(statements.count > 40)
        let trigger = statements.first { $0.contains("FUNCTION balance_transactions_append_only") }
        #expect(trigger?.contains("RAISE EXCEPTION") == true)
        #expect(trigger?.hasSuffix("$$") == true)
    }
}

@Suite struct SeedScaleTests {
    @Test func parsesKnownScales() throws {
        #expect(try SeedScale.parse("tiny") == .tiny)
        #expect(try SeedScale.parse("LARGE") == .large)
        #expect(SeedScale(rawValue: "medium") == .medium)
    }

    @Test func rejectsAnUnknownScaleAsUsage() {
        do {
            _ = try SeedScale.parse("huge")
            Issue.record("accepted an unknown scale")
        } catch let error as WWError {
            #expect(error.category == .usage)
            #expect(error.category.exitCode == 64)
            #expect(error.message.contains("huge"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func sizesGrowWithTheScale() {
        let sizes = SeedScale.allCases.map(\.sizes)
        #expect(sizes.map(\.products) == sizes.map(\.products).sorted())
        #expect(SeedScale.tiny.sizes.organizations >= 10)
        #expect(SeedScale.tiny.sizes.users >= 100)
        #expect(SeedScale.tiny.sizes.products >= 500)
        let large = SeedScale.large.sizes
        #expect(large.organizations == 2_000 && large.users == 100_000 && large.memberships == 25_000)
        #expect(large.products == 500_000 && large.orderItems == 1_000_000)
    }
}

@Suite struct SeedArithmeticTests {
    @Test func formatsMoneyAndRates() {
        #expect(SeedText.money(1_999) == "19.99")
        #expect(SeedText.money(-5) == "-0.05")
        #expect(SeedText.money(0) == "0.00")
        #expect(SeedText.money(100_000) == "1000.00")
        #expect(SeedText.rate(1_250) == "0.1250")
        #expect(SeedText.rate(10_000) == "1.0000")
        #expect(SeedText.rate(5) == "0.0005")
    }

    @Test func roundsCommissionHalfAwayFromZeroLikePostgres() {
        // 0.05 × 10 % = 0.005 → 0.01, as round(0.005, 2) gives.
        #expect(SeedText.commission(lineCents: 5, basisPoints: 1_000) == 1)
        #expect(SeedText.commission(lineCents: 4, basisPoints: 1_000) == 0)
        #expect(SeedText.commission(lineCents: 1_999, basisPoints: 1_250) == 250)
        #expect(SeedText.roundedQuotient(-5, 10) == -1)
        #expect(SeedText.roundedQuotient(-4, 10) == 0)
        // Cross-check against ExactDecimal, which rounds the same way.
        for line: Int64 in [1, 99, 1_234, 99_999, 123_457] {
            for basisPoints in [0, 450, 1_000, 1_333, 10_000] {
                let exact = (ExactDecimal(coefficient: Int128(line), scale: 2)
                    * ExactDecimal(coefficient: Int128(basisPoints), scale: 4)).rounded(scale: 2)
                #expect(SeedText.money(SeedText.commission(lineCents: line, basisPoints: basisPoints)) == exact.description)
            }
        }
    }

    @Test func slugsAndBase36() {
        #expect(SeedText.slug("Oak & Ash Supply Co") == "oak-ash-supply-co")
        #expect(SeedText.slug("  Men's Shoes ") == "men-s-shoes")
        #expect(SeedText.base36(1_295) == "ZZ")
    }

    @Test func formatsTimestampsInUTC() {
        #expect(SeedCalendar.timestamp(0) == "1970-01-01 00:00:00+00")
        #expect(SeedCalendar.timestamp(SeedCalendar.anchor) == "2026-11-15 12:00:00+00")
        #expect(SeedCalendar.timestamp(SeedCalendar.seconds(year: 2024, month: 2, day: 29, hour: 23) + 59) == "2024-02-29 23:00:59+00")
        #expect(SeedCalendar.timestamp(-1) == "1969-12-31 23:59:59+00")
    }

    @Test func numbersMonthsAndPeriods() {
        let month = SeedCalendar.monthNumber(SeedCalendar.anchor)
        #expect(SeedCalendar.period(ofMonth: month) == "2026-11")
        #expect(SeedCalendar.start(ofMonth: month) == SeedCalendar.seconds(year: 2026, month: 11, day: 1))
        #expect(SeedCalendar.period(ofMonth: month + 2) == "2027-01")
        #expect(SeedCalendar.monthNumber(SeedCalendar.start(ofMonth: month + 1) - 1) == month)
    }
}

@Suite struct SeedRandomTests {
    @Test func splitMixMatchesTheReferenceSequence() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(state: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func streamsAreReproducibleAndIndependent() {
        var a = SplitMix64(seed: 42, stream: .product, index: 7)
        var b = SplitMix64(seed: 42, stream: .product, index: 7)
        var c = SplitMix64(seed: 42, stream: .product, index: 8)
        var d = SplitMix64(seed: 43, stream: .product, index: 7)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        #expect(first != (0..<4).map { _ in d.next() })
    }

    @Test func drawsStayInRange() {
        var rng = SplitMix64(state: 9)
        for bound in [1, 2, 3, 7, 1_000, 1 << 40] {
            for _ in 0..<200 {
                let value = rng.below(bound)
                #expect(value >= 0 && value < bound)
            }
        }
        for _ in 0..<200 {
            #expect((5...9).contains(rng.between(5, 9)))
        }
        var counts = [0, 0, 0]
        for _ in 0..<3_000 { counts[rng.weighted([1, 0, 2])] += 1 }
        #expect(counts[1] == 0)
        #expect(counts[2] > counts[0])
    }

    @Test func allocatesExactlyWithMinimums() {
        let parts = allocate(500, weights: zipfWeights(count: 12, offset: 3), minimum: 1)
        #expect(parts.reduce(0, +) == 500)
        #expect(parts.allSatisfy { $0 >= 1 })
        #expect(parts.first! > 4 * parts.last!)
        #expect(allocate(5, weights: [0, 0, 0], minimum: 1).reduce(0, +) == 5)
    }

    @Test func coprimeStrideVisitsEveryIndex() {
        for count in [1, 2, 3, 10, 100, 5_000] {
            let stride = coprimeStride(for: count)
            #expect(Set((0..<count).map { ($0 * stride) % count }).count == count)
        }
    }
}

/// The generated world, without a database: determinism and the invariants every seed keeps.
@Suite struct SeedWorldTests {
    /// FNV-1a over every field of every row of every table.
    private func fingerprint(_ scale: SeedScale, seed: UInt64) throws -> [String: UInt64] {
        let generator = SeedGenerator(world: SeedWorld(scale: scale, seed: seed), roleIDs: [1, 2, 3, 4, 5])
        var hashes: [String: UInt64] = [:]
        for table in generator.tables() {
            var hash: UInt64 = hashes[table.name] ?? 0xCBF2_9CE4_8422_2325
            try table.generate { row in
                for field in row {
                    for byte in (field ?? "\u{1}NULL").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
                    hash = (hash ^ 0x1F) &* 0x100_0000_01B3
                }
            }
            hashes[table.name] = hash
        }
        return hashes
    }

    @Test func sameSeedSameRowsOtherSeedOtherRows() throws {
        let first = try fingerprint(.tiny, seed: 1)
        #expect(first == (try fingerprint(.tiny, seed: 1)))
        let other = try fingerprint(.tiny, seed: 2)
        for table in ["users", "organizations", "products", "orders", "order_items", "balance_transactions"] {
            #expect(first[table] != other[table], "\(table) did not change with the seed")
        }
        #expect(first["categories"] == other["categories"])
    }

    @Test func membershipsKeepTheirInvariants() {
        for scale in [SeedScale.tiny, .small] {
            let world = SeedWorld(scale: scale, seed: 5)
            var owners = [Int32: Int]()
            var perUser = [Int32: Int]()
            var pairs = Set<Int64>()
            for index in world.membershipUsers.indices {
                let org = world.membershipOrganizations[index]
                let user = world.membershipUsers[index]
                #expect(pairs.insert(Int64(org) << 32 | Int64(user)).inserted, "duplicate membership")
                if world.membershipRoles[index] == 0 { owners[org, default: 0] += 1 }
                perUser[user, default: 0] += 1
            }
            #expect(world.membershipUsers.count == scale.sizes.memberships)
            #expect(owners.count == scale.sizes.organizations)
            #expect(owners.values.allSatisfy { $0 == 1 })
            #expect(perUser.values.allSatisfy { (1...3).contains($0) })
            #expect(perUser.values.contains { $0 >= 2 })
        }
    }

    @Test func vendorsAreSkewedAndStatusesMixed() {
        let world = SeedWorld(scale: .small, seed: 1)
        let counts = world.organizations.map(\.productCount).sorted()
        #expect(counts.reduce(0, +) == SeedScale.small.sizes.products)
        #expect(counts.last! > 10 * counts[counts.count / 2])
        let statuses = Set(world.organizations.map(\.status))
        #expect(statuses == ["active", "suspended", "pending"])
    }

    @Test func orderItemsAddUpAndCarryTheCommissionRule() {
        let world = SeedWorld(scale: .tiny, seed: 3)
        var items = 0
        for id in 1...world.sizes.orders {
            let order = world.order(id)
            #expect(order.totalCents == order.items.reduce(0) { $0 + $1.lineCents })
            for item in order.items {
                items += 1
                #expect(item.commissionCents + item.vendorCents == item.lineCents)
                #expect(item.unitCents > 0 && item.commissionCents >= 0)
                if let refund = item.refund {
                    #expect(refund.amountCents > 0 && refund.amountCents <= item.lineCents)
                    #expect(refund.createdAt < SeedCalendar.anchor)
                }
            }
        }
        #expect(items == world.itemsInOrders)
    }
}
