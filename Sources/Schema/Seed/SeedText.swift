/// Formatting for COPY text fields and the word lists the generator draws names from.
enum SeedText {
    /// Cents as a NUMERIC(14,2) literal: 1999 → "19.99", -5 → "-0.05".
    static func money(_ cents: Int64) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// Basis points of a NUMERIC(5,4) rate: 1250 → "0.1250".
    static func rate(_ basisPoints: Int) -> String {
        let fraction = String(basisPoints % 10_000)
        return String(basisPoints / 10_000) + "." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// quantity × price × rate rounded half away from zero to cents, as PostgreSQL's
    /// `round(numeric, 2)` does.
    static func commission(lineCents: Int64, basisPoints: Int) -> Int64 {
        roundedQuotient(lineCents * Int64(basisPoints), 10_000)
    }

    /// numerator / denominator rounded half away from zero (denominator > 0).
    static func roundedQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        if remainder.magnitude * 2 >= denominator.magnitude { return quotient + (numerator < 0 ? -1 : 1) }
        return quotient
    }

    /// Lowercase ASCII letters and digits joined by single hyphens.
    static func slug(_ text: String) -> String {
        var out = [UInt8]()
        var pendingHyphen = false
        for byte in text.utf8 {
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                if pendingHyphen && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                out.append(lower)
            } else {
                pendingHyphen = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Uppercase base 36: 1295 → "ZZ".
    static func base36(_ value: Int) -> String {
        String(value, radix: 36, uppercase: true)
    }

    static let firstNames = [
        "Ada", "Alan", "Amara", "Anna", "Arjun", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Daniel", "Diego",
        "Elena", "Emma", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Isaac", "Jada", "James", "Jonas",
        "Kai", "Keiko", "Lars", "Layla", "Leo", "Lucia", "Maya", "Mateo", "Mia", "Nadia", "Noah", "Olga",
        "Omar", "Paula", "Priya", "Quinn", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tess", "Theo",
        "Uma", "Victor", "Wen", "Xavier", "Yara", "Yusuf", "Zara", "Zoe",
    ]

    static let lastNames = [
        "Abbott", "Adeyemi", "Andersen", "Bauer", "Becker", "Brooks", "Castro", "Chen", "Costa", "Dubois",
        "Eriksen", "Fischer", "Garcia", "Gupta", "Haddad", "Hansen", "Ito", "Jensen", "Kim", "Kowalski",
        "Larsen", "Lopez", "Mahmoud", "Martin", "Meyer", "Moreau", "Nakamura", "Novak", "Okafor", "Olsen",
        "Patel", "Perez", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Tanaka", "Torres",
        "Usman", "Varga", "Wagner", "Walsh", "Weber", "Wong", "Yamamoto", "Young", "Zhang", "Zimmermann",
    ]

    static let emailDomains = ["example.com", "example.net", "example.org", "mail.example"]

    static let organizationWords = [
        "Acorn", "Alder", "Amber", "Anchor", "Apex", "Aurora", "Beacon", "Birch", "Blue Harbor", "Bright Lane",
        "Cedar", "Cobalt", "Copper", "Coral", "Crescent", "Drift", "Ember", "Evergreen", "Fable", "Falcon",
        "Fern", "Flint", "Garnet", "Golden Gate", "Granite", "Harbor", "Hazel", "Heron", "Indigo", "Iron Oak",
        "Juniper", "Kestrel", "Lantern", "Linden", "Lumen", "Maple", "Meadow", "Mosaic", "Nimbus", "North Star",
        "Northwind", "Oak & Ash", "Onyx", "Orchard", "Pebble", "Pine", "Quarry", "Quill", "Red Kite", "Ridge",
        "River Stone", "Saffron", "Sage", "Silver Birch", "Solstice", "Sparrow", "Summit", "Tidal", "Timber",
        "Urban Loom", "Velvet", "Verdant", "Willow", "Wren", "Zephyr",
    ]

    static let organizationKinds = [
        "Outfitters", "Supply Co", "Goods", "Trading", "Market", "Studio", "Works", "Collective", "Emporium",
        "Provisions", "Home", "Labs", "Depot", "Bazaar", "Co-op", "Atelier", "Traders", "Store", "House", "Outlet",
    ]

    static let productAdjectives = [
        "Classic", "Compact", "Deluxe", "Eco", "Essential", "Everyday", "Flex", "Heritage", "Lite", "Max",
        "Modern", "Nova", "Pro", "Pure", "Rugged", "Signature", "Slim", "Smart", "Sport", "Studio",
        "Summit", "Terra", "Travel", "Ultra", "Urban", "Vintage", "Wave", "Zen", "Prime", "Core",
    ]

    static let productFeatures = [
        "Built to last with a two-year warranty.", "Ships in recyclable packaging.",
        "Designed and tested by our in-house team.", "Free returns within 30 days.",
        "A customer favourite since launch.", "Made from responsibly sourced materials.",
        "Lightweight and easy to carry.", "Backed by friendly support.",
        "Limited stock: restocked monthly.", "Handpicked for quality.",
    ]

    /// (name, SKU code)
    static let colors: [(String, String)] = [
        ("Black", "BLK"), ("White", "WHT"), ("Grey", "GRY"), ("Navy", "NVY"), ("Red", "RED"), ("Green", "GRN"),
        ("Blue", "BLU"), ("Sand", "SND"), ("Olive", "OLV"), ("Rose", "RSE"), ("Teal", "TEA"), ("Amber", "AMB"),
    ]

    static let sizes = ["XS", "S", "M", "L", "XL", "One Size"]

    static let suspensionReasons = [
        "repeated late shipments", "chargeback rate above threshold", "counterfeit listing reported",
        "tax documents expired", "unresponsive to customer claims",
    ]

    static let refundReasons = [
        "item damaged in transit", "item not as described", "wrong size", "arrived too late",
        "changed mind", "missing parts", "duplicate order",
    ]

    static let payoutFailures = [
        "bank account closed", "invalid IBAN", "account name mismatch", "bank rejected transfer",
    ]

    static let operators = ["ops:alice", "ops:bilal", "ops:chen", "cron:payouts"]
}
