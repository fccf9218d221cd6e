import Support

/// Everything the generator decides before it writes a row: the organizations with their
/// sizes and statuses, who belongs where, which product ids and variant ids each vendor
/// owns, and functions that regenerate any product, variant, order or cart from its id.
///
/// Memory stays small at every scale: per-organization facts (≤ 2,000), the membership
/// assignment (one Int32 and one byte per membership), and one Int32 per product (where its
/// variants start). Rows themselves are produced one at a time by `SeedTables`.
struct SeedWorld {
    let scale: SeedScale
    let seed: UInt64
    let sizes: SeedSizes
    let catalog: SeedCatalog
    let organizations: [SeedOrganization]
    /// Organization-scope commission rules: (organization id, category id, basis points).
    let organizationRules: [(organizationID: Int, categoryID: Int, basisPoints: Int)]
    let membershipUsers: [Int32]
    let membershipRoles: [UInt8]
    let membershipOrganizations: [Int32]
    /// firstVariantOffset[p - 1] ..< firstVariantOffset[p] are product p's variants, 0-based.
    let firstVariantOffset: [Int32]
    let itemsInOrders: Int

    private let salesSampler: WeightedSampler
    private let rulesByOrganizationCategory: [Int: Int]
    private let rulesByCategory: [Int: Int]
    private let organizationFirstProducts: [Int]
    private let userStride: Int

    static let userEpoch: Int64 = SeedCalendar.anchor - 3 * 365 * SeedCalendar.day
    static let userSpan: Int64 = 3 * 365 * SeedCalendar.day - SeedCalendar.day
    static let minimumPayoutCents: Int64 = 2_500

    /// Role names in the order of `membershipRoles` values.
    static let roleNames = ["owner", "admin", "manager", "staff", "viewer"]

    init(scale: SeedScale, seed: UInt64) {
        self.scale = scale
        self.seed = seed
        let sizes = scale.sizes
        self.sizes = sizes
        userStride = coprimeStride(for: sizes.users)
        let catalog = SeedCatalog()
        self.catalog = catalog
        let count = sizes.organizations
        var rng = SplitMix64(seed: seed, stream: .world, index: 0)

        // Statuses: the newest ~7 % applied recently and are pending; ~6 % of the others,
        // never among the largest 5 %, are suspended.
        let pendingCount = max(1, count * 7 / 100)
        let establishedCount = count - pendingCount
        var candidates = Array(max(2, count / 20 + 1)...max(2, establishedCount))
        var suspended: Set<Int> = []
        for _ in 0..<min(candidates.count, max(1, count * 6 / 100)) {
            let pick = rng.below(candidates.count)
            suspended.insert(candidates[pick])
            candidates.swapAt(pick, candidates.count - 1)
            candidates.removeLast()
        }

        var weights = zipfWeights(count: count, offset: 3)
        for id in (establishedCount + 1)...count { weights[id - 1] /= 8 }
        let productCounts = allocate(sizes.products, weights: weights, minimum: 1)

        var organizations: [SeedOrganization] = []
        var firstProduct = 1
        let establishedStart = SeedCalendar.anchor - 4 * 365 * SeedCalendar.day
        let establishedEnd = SeedCalendar.orderWindowStart - 30 * SeedCalendar.day
        let largeVendors = max(1, count / 100)
        for id in 1...count {
            var orgRNG = SplitMix64(seed: seed, stream: .organization, index: id)
            let name = orgRNG.pick(SeedText.organizationWords) + " " + orgRNG.pick(SeedText.organizationKinds)
            let pending = id > establishedCount
            let createdAt: Int64
            if pending {
                let slot = Int64(60 * SeedCalendar.day) / Int64(pendingCount)
                createdAt = SeedCalendar.anchor - 61 * SeedCalendar.day + Int64(id - establishedCount - 1) * slot
                    + orgRNG.between(0, slot - 1)
            } else {
                let slot = (establishedEnd - establishedStart) / Int64(establishedCount)
                createdAt = establishedStart + Int64(id - 1) * slot + orgRNG.between(0, slot - 1)
            }
            let basisPoints = id <= largeVendors
                ? orgRNG.pick([600, 700, 800])
                : [800, 1_000, 1_200, 1_500][orgRNG.weighted([15, 45, 25, 15])]
            var tops = catalog.topIDs
            let focusCount = id <= max(1, count / 20) ? 3 : orgRNG.between(1, 2)
            var focus: [Int] = []
            for _ in 0..<focusCount {
                let pick = orgRNG.below(tops.count)
                focus.append(tops[pick])
                tops.remove(at: pick)
            }
            var suspendedAt: Int64?
            var reason: String?
            if suspended.contains(id) {
                suspendedAt = SeedCalendar.anchor - orgRNG.between(1 * SeedCalendar.day, 45 * SeedCalendar.day)
                reason = orgRNG.pick(SeedText.suspensionReasons)
            }
            let updatedAt = suspendedAt ?? orgRNG.between(createdAt, SeedCalendar.anchor - SeedCalendar.hour)
            organizations.append(SeedOrganization(
                id: id, name: name, slug: SeedText.slug(name) + "-" + String(id),
                status: pending ? "pending" : (suspendedAt == nil ? "active" : "suspended"),
                basisPoints: basisPoints, createdAt: createdAt, updatedAt: updatedAt,
                suspendedAt: suspendedAt, suspendedReason: reason, focusTops: focus,
                firstProduct: firstProduct, productCount: productCounts[id - 1]))
            firstProduct += productCounts[id - 1]
        }
        self.organizations = organizations
        organizationFirstProducts = organizations.map(\.firstProduct)
        salesSampler = WeightedSampler(weights: organizations.map { $0.status == "pending" ? 0 : $0.productCount })

        // The largest vendors negotiated a lower rate in their main category.
        var organizationRules: [(Int, Int, Int)] = []
        for org in organizations.prefix(largeVendors) {
            organizationRules.append((org.id, org.focusTops[0], max(200, org.basisPoints - 200)))
        }
        self.organizationRules = organizationRules.map { (organizationID: $0.0, categoryID: $0.1, basisPoints: $0.2) }
        var byOrgCategory: [Int: Int] = [:]
        for rule in organizationRules { byOrgCategory[rule.0 << 20 | rule.1] = rule.2 }
        rulesByOrganizationCategory = byOrgCategory
        rulesByCategory = Dictionary(uniqueKeysWithValues: catalog.categoryRules.map { ($0.categoryID, $0.basisPoints) })

        (membershipOrganizations, membershipUsers, membershipRoles) = Self.assignMemberships(
            sizes: sizes, organizations: organizations, rng: &rng, seed: seed)

        var offsets = [Int32](repeating: 0, count: sizes.products + 1)
        var running: Int32 = 0
        for product in 1...sizes.products {
            var variantRNG = SplitMix64(seed: seed, stream: .variantCount, index: product)
            running += Int32(variantRNG.weighted([30, 40, 30]) + 1)
            offsets[product] = running
        }
        firstVariantOffset = offsets

        var items = 0
        for order in 1...sizes.orders { items += Self.itemCount(order: order, seed: seed) }
        itemsInOrders = items
    }

    // MARK: memberships

    /// Every organization has an owner; the rest of the memberships are spread Zipf-like
    /// (large vendors have large teams). Members come from a pool of staff users, each in
    /// one to three organizations (about 1.4 on average); most users are only customers.
    private static func assignMemberships(
        sizes: SeedSizes, organizations: [SeedOrganization], rng: inout SplitMix64, seed: UInt64
    ) -> ([Int32], [Int32], [UInt8]) {
        let total = sizes.memberships
        let perOrganization = allocate(total, weights: zipfWeights(count: organizations.count, offset: 20), minimum: 1)
        let poolSize = min(sizes.users, max(perOrganization.max() ?? 1, total * 10 / 14))
        let userStep = coprimeStride(for: sizes.users)
        func poolUser(_ k: Int) -> Int32 { Int32(1 + (k * userStep) % sizes.users) }

        var slotOrganization = [Int32]()
        var slotRole = [UInt8]()
        slotOrganization.reserveCapacity(total)
        slotRole.reserveCapacity(total)
        for (index, members) in perOrganization.enumerated() {
            for slot in 0..<members {
                slotOrganization.append(Int32(index + 1))
                slotRole.append(slot == 0 ? 0 : UInt8(1 + rng.weighted([10, 20, 45, 25])))
            }
        }
        var order = Array(0..<total)
        for i in stride(from: total - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }

        var slotUser = [Int32](repeating: 0, count: total)
        var taken = [UInt8](repeating: 0, count: poolSize)
        var pairs = Set<Int64>()
        for (position, slot) in order.enumerated() {
            let organization = Int64(slotOrganization[slot])
            func free(_ k: Int) -> Bool { taken[k] < 3 && !pairs.contains(organization << 32 | Int64(poolUser(k))) }
            var k = position < poolSize ? position : rng.below(poolSize)
            var tries = 0
            while !free(k) && tries < 64 + poolSize {
                tries += 1
                k = tries < 64 ? rng.below(poolSize) : (k + 1) % poolSize
            }
            if free(k) {
                taken[k] += 1
                slotUser[slot] = poolUser(k)
            } else {
                // Every pool user is full or already here: take the first other user.
                var user: Int32 = 1
                while pairs.contains(organization << 32 | Int64(user)) { user += 1 }
                slotUser[slot] = user
            }
            pairs.insert(organization << 32 | Int64(slotUser[slot]))
        }
        return (slotOrganization, slotUser, slotRole)
    }

    // MARK: users

    func userCreatedAt(_ user: Int) -> Int64 {
        let slot = Self.userSpan / Int64(sizes.users)
        var rng = SplitMix64(seed: seed, stream: .user, index: user)
        return Self.userEpoch + Int64(user - 1) * slot + rng.between(0, max(0, slot - 1))
    }

    /// How many users (ids 1...n) had signed up by `time`.
    func usersCreated(by time: Int64) -> Int {
        let n = Int((time - Self.userEpoch) * Int64(sizes.users) / Self.userSpan)
        return min(sizes.users, max(1, n))
    }

    // MARK: products and variants

    func organization(ofProduct product: Int) -> SeedOrganization {
        var low = 0
        var high = organizationFirstProducts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if organizationFirstProducts[mid] <= product { low = mid } else { high = mid - 1 }
        }
        return organizations[low]
    }

    func product(_ id: Int, of organization: SeedOrganization) -> SeedProduct {
        var rng = SplitMix64(seed: seed, stream: .product, index: id)
        let top = rng.pick(organization.focusTops)
        let leaf = rng.pick(catalog.leavesByTop[top] ?? [top])
        let status = organization.status == "pending"
            ? "draft" : ["active", "draft", "archived"][rng.weighted([820, 80, 100])]
        let bands = catalog.priceBands[top] ?? [(999, 9_999, 1)]
        let band = bands[rng.weighted(bands.map(\.2))]
        var cents = rng.between(band.0, band.1)
        switch rng.weighted([60, 15, 10, 15]) {
        case 0: cents = cents / 100 * 100 + 99
        case 1: cents = cents / 100 * 100 + 49
        case 2: cents = max(100, cents / 100 * 100)
        default: break
        }
        let latest = organization.status == "pending"
            ? SeedCalendar.anchor - SeedCalendar.hour : SeedCalendar.orderWindowStart - SeedCalendar.day
        let createdAt = rng.between(min(organization.createdAt + SeedCalendar.hour, latest), latest)
        let updatedAt = rng.between(createdAt, SeedCalendar.anchor - SeedCalendar.hour)
        return SeedProduct(
            id: id, organizationID: organization.id, categoryID: leaf, topCategoryID: top, status: status,
            priceCents: cents, createdAt: createdAt, updatedAt: updatedAt,
            firstVariant: Int(firstVariantOffset[id - 1]) + 1,
            variantCount: Int(firstVariantOffset[id] - firstVariantOffset[id - 1]))
    }

    var variantCount: Int { Int(firstVariantOffset[sizes.products]) }

    /// Variant `index` (0-based) of a product: (price cents, colour index).
    func variantPricing(_ product: SeedProduct, index: Int) -> (cents: Int64, color: Int) {
        var rng = SplitMix64(seed: seed, stream: .variantPrice, index: product.id)
        let bump = rng.chance(perMille: 450) ? max(100, product.priceCents / 10 / 100 * 100) : 0
        let firstColor = rng.below(SeedText.colors.count)
        return (product.priceCents + Int64(index) * bump, (firstColor + index) % SeedText.colors.count)
    }

    /// The commission rate of a product, as the SQL function `effective_commission_rate` finds
    /// it: from the product's category up to the root, an organization rule then a category
    /// rule at each level, else the organization's own rate.
    func commissionBasisPoints(organization: SeedOrganization, categoryID: Int) -> Int {
        var current: Int? = categoryID
        while let category = current {
            if let rate = rulesByOrganizationCategory[organization.id << 20 | category] { return rate }
            if let rate = rulesByCategory[category] { return rate }
            current = catalog.category(category).parentID
        }
        return organization.basisPoints
    }

    // MARK: orders

    static func itemCount(order: Int, seed: UInt64) -> Int {
        var rng = SplitMix64(seed: seed, stream: .orderSize, index: order)
        return rng.weighted([35, 25, 20, 12, 8]) + 1
    }

    /// A vendor that was selling at `time` and one of its listed products, drawn by sales
    /// volume (proportional to catalogue size) and, within the vendor, skewed to its first
    /// products (the bestsellers).
    private func pickProduct(at time: Int64, activeOnly: Bool, _ rng: inout SplitMix64) -> SeedProduct {
        var fallback: SeedProduct?
        for _ in 0..<8 {
            let org = organizations[salesSampler.sample(&rng)]
            if let suspendedAt = org.suspendedAt, time >= suspendedAt { continue }
            let count = org.productCount
            let start = min(rng.below(count), rng.below(count))
            for step in 0..<min(count, 16) {
                let candidate = product(org.firstProduct + (start + step) % count, of: org)
                if candidate.status == "active" || (!activeOnly && candidate.status == "archived") {
                    return candidate
                }
                if fallback == nil { fallback = candidate }
            }
        }
        if let fallback { return fallback }
        let org = organizations[0]
        return product(org.firstProduct, of: org)
    }

    func order(_ id: Int) -> SeedOrder {
        let day = SeedCalendar.day
        var rng = SplitMix64(seed: seed, stream: .order, index: id)
        // Order volume grows through the year: density ∝ 1 + t, inverted exactly in integers.
        let scale = 1 << 20
        let q = ((id - 1) * scale + rng.below(scale)) / sizes.orders
        let fraction = isqrt(scale * scale + 3 * q * scale) - scale
        let window = SeedCalendar.anchor - SeedCalendar.orderWindowStart
        let createdAt = min(
            SeedCalendar.orderWindowStart + window * Int64(fraction) / Int64(scale), SeedCalendar.anchor - 120)
        let user = rng.between(1, usersCreated(by: createdAt))
        let age = SeedCalendar.anchor - createdAt
        let status: String
        if age < 2 * day {
            status = ["pending", "paid", "cancelled"][rng.weighted([35, 55, 10])]
        } else if age < 7 * day {
            status = ["paid", "shipped", "delivered", "cancelled"][rng.weighted([15, 60, 15, 10])]
        } else if age < 21 * day {
            status = ["shipped", "delivered", "cancelled"][rng.weighted([10, 84, 6])]
        } else {
            status = ["delivered", "cancelled", "refunded"][rng.weighted([92, 5, 3])]
        }
        let paidAt: Int64? = status == "pending" || status == "cancelled" ? nil : createdAt + rng.between(60, 900)
        let deliveredAt: Int64? = status == "delivered" || status == "refunded"
            ? createdAt + rng.between(2 * day, min(9 * day, age - SeedCalendar.hour)) : nil
        let saleSettledAt = deliveredAt.map { $0 + SeedCalendar.holdingPeriod }.flatMap { $0 <= SeedCalendar.anchor ? $0 : nil }

        var items: [SeedOrderItem] = []
        var updatedAt = deliveredAt ?? paidAt ?? createdAt
        for _ in 0..<Self.itemCount(order: id, seed: seed) {
            let product = pickProduct(at: createdAt, activeOnly: false, &rng)
            let org = organizations[product.organizationID - 1]
            let variantIndex = rng.below(product.variantCount)
            let unitCents = variantPricing(product, index: variantIndex).cents
            let quantity = [1, 2, 3, 0][rng.weighted([700, 180, 70, 50])]
            let finalQuantity = quantity == 0 ? rng.between(4, 6) : quantity
            let line = Int64(finalQuantity) * unitCents
            let basisPoints = commissionBasisPoints(organization: org, categoryID: product.categoryID)
            let commission = SeedText.commission(lineCents: line, basisPoints: basisPoints)
            var itemStatus = status == "refunded" ? "delivered" : status
            var refund: SeedRefund?
            if let deliveredAt, status == "refunded" || rng.chance(perMille: 25) {
                let refundAt = deliveredAt + rng.between(day, (status == "refunded" ? 10 : 20) * day)
                let refundStatus = status == "refunded"
                    ? "completed" : ["completed", "requested", "rejected"][rng.weighted([70, 15, 15])]
                let full = status == "refunded" || rng.chance(perMille: 600)
                let amount = full ? line : rng.between(max(1, line / 10), max(1, line * 9 / 10))
                let reason = rng.pick(SeedText.refundReasons)
                let refundUpdated = refundStatus == "requested"
                    ? refundAt : min(SeedCalendar.anchor - 60, refundAt + rng.between(SeedCalendar.hour, 3 * day))
                if refundAt < SeedCalendar.anchor - SeedCalendar.hour {
                    refund = SeedRefund(
                        amountCents: amount, reason: reason, status: refundStatus, createdAt: refundAt,
                        updatedAt: refundUpdated,
                        commissionReturnCents: SeedText.roundedQuotient(commission * amount, line),
                        settledAt: saleSettledAt.map { max($0, refundAt) })
                    if refundStatus == "completed" && full { itemStatus = "refunded" }
                    updatedAt = max(updatedAt, refundUpdated)
                }
            }
            items.append(SeedOrderItem(
                productID: product.id, variantID: product.firstVariant + variantIndex, organizationID: org.id,
                quantity: finalQuantity, unitCents: unitCents, basisPoints: basisPoints, commissionCents: commission,
                vendorCents: line - commission, status: itemStatus, refund: refund))
        }
        return SeedOrder(
            id: id, userID: user, status: status, totalCents: items.reduce(0) { $0 + $1.lineCents },
            createdAt: createdAt, updatedAt: updatedAt, paidAt: paidAt, saleSettledAt: saleSettledAt, items: items)
    }

    // MARK: carts

    func cart(_ id: Int) -> SeedCart {
        var rng = SplitMix64(seed: seed, stream: .cart, index: id)
        // Offset by half the users so carts do not all belong to the staff pool.
        let user = 1 + ((id - 1) * userStride + sizes.users / 2) % sizes.users
        let earliest = userCreatedAt(user) + SeedCalendar.hour
        let createdAt = max(earliest, SeedCalendar.anchor - rng.between(SeedCalendar.hour, 30 * SeedCalendar.day))
        var variants: [Int] = []
        var lines: [SeedCartLine] = []
        for _ in 0..<rng.between(1, 4) {
            let product = pickProduct(at: SeedCalendar.anchor, activeOnly: true, &rng)
            let variant = product.firstVariant + rng.below(product.variantCount)
            let quantity = rng.between(1, 3)
            let addedAt = rng.between(createdAt, SeedCalendar.anchor - 60)
            if variants.contains(variant) { continue }
            variants.append(variant)
            lines.append(SeedCartLine(variantID: variant, quantity: quantity, addedAt: addedAt))
        }
        return SeedCart(
            id: id, userID: user, createdAt: createdAt, updatedAt: lines.map(\.addedAt).max() ?? createdAt, lines: lines)
    }
}

struct SeedOrganization {
    let id: Int
    let name: String
    let slug: String
    let status: String
    let basisPoints: Int
    let createdAt: Int64
    let updatedAt: Int64
    let suspendedAt: Int64?
    let suspendedReason: String?
    /// The top-level categories it sells in.
    let focusTops: [Int]
    let firstProduct: Int
    let productCount: Int
}

struct SeedProduct {
    let id: Int
    let organizationID: Int
    let categoryID: Int
    let topCategoryID: Int
    let status: String
    let priceCents: Int64
    let createdAt: Int64
    let updatedAt: Int64
    let firstVariant: Int
    let variantCount: Int
}

struct SeedOrder {
    let id: Int
    let userID: Int
    let status: String
    let totalCents: Int64
    let createdAt: Int64
    let updatedAt: Int64
    let paidAt: Int64?
    /// When its sale entries settle (delivery + holding period), nil while they are pending.
    let saleSettledAt: Int64?
    let items: [SeedOrderItem]

    /// Paid orders (and their items) are in the ledger; pending and cancelled ones are not.
    var postsToLedger: Bool { paidAt != nil }
}

struct SeedOrderItem {
    let productID: Int
    let variantID: Int
    let organizationID: Int
    let quantity: Int
    let unitCents: Int64
    let basisPoints: Int
    let commissionCents: Int64
    let vendorCents: Int64
    let status: String
    let refund: SeedRefund?

    var lineCents: Int64 { Int64(quantity) * unitCents }
}

struct SeedRefund {
    let amountCents: Int64
    let reason: String
    let status: String
    let createdAt: Int64
    let updatedAt: Int64
    /// The commission on the refunded amount, given back to the vendor.
    let commissionReturnCents: Int64
    /// Completed refunds settle with the sale they reverse.
    let settledAt: Int64?
}

struct SeedCart {
    let id: Int
    let userID: Int
    let createdAt: Int64
    let updatedAt: Int64
    let lines: [SeedCartLine]
}

struct SeedCartLine {
    let variantID: Int
    let quantity: Int
    let addedAt: Int64
}
