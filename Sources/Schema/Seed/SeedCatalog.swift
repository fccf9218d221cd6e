/// The fixed parts of the seed world: the category tree, the attribute definitions and the
/// platform's category commission rules. They are the same at every scale and seed.
struct SeedCategory {
    let id: Int
    let parentID: Int?
    let name: String
    let slug: String
    let position: Int
    /// The top-level category this one is under (itself for a top-level one).
    let topID: Int
    /// What one product in this category is called ("Laptop"); leaves only.
    let noun: String?
}

struct SeedCatalog {
    let categories: [SeedCategory]
    /// Leaf category ids under each top-level category id.
    let leavesByTop: [Int: [Int]]
    let topIDs: [Int]
    /// Price bands (lower cents, upper cents, weight) by top-level category id.
    let priceBands: [Int: [(Int64, Int64, Int)]]
    /// Commission rules with scope `category`: category id → basis points.
    let categoryRules: [(categoryID: Int, basisPoints: Int)]

    private indirect enum Node {
        case leaf(String, String)
        case branch(String, [Node])
    }

    private struct Top {
        let name: String
        let children: [Node]
        let bands: [(Int64, Int64, Int)]
        let basisPoints: Int?
    }

    /// Category names whose commission rule differs from their vendors' own rates.
    private static let subcategoryRules: [String: Int] = ["Laptops": 400, "Smartphones": 450, "Fine Jewelry": 1800]

    private static let tree: [Top] = [
        Top(name: "Electronics", children: [
            .branch("Phones & Tablets", [.leaf("Smartphones", "Smartphone"), .leaf("Tablets", "Tablet"), .leaf("Phone Cases", "Phone Case")]),
            .branch("Computers", [.leaf("Laptops", "Laptop"), .leaf("Monitors", "Monitor"), .leaf("Keyboards", "Keyboard")]),
            .branch("Audio", [.leaf("Headphones", "Headphones"), .leaf("Speakers", "Speaker")]),
            .leaf("Cameras", "Camera"),
        ], bands: [(1_999, 4_999, 30), (5_000, 19_999, 40), (20_000, 99_999, 25), (100_000, 249_999, 5)], basisPoints: 600),
        Top(name: "Home & Kitchen", children: [
            .leaf("Cookware", "Skillet"), .leaf("Small Appliances", "Kettle"), .leaf("Bedding", "Duvet Cover"),
            .leaf("Lighting", "Lamp"), .leaf("Storage", "Storage Box"),
        ], bands: [(999, 2_999, 40), (3_000, 9_999, 45), (10_000, 39_999, 15)], basisPoints: nil),
        Top(name: "Fashion", children: [
            .branch("Women", [.leaf("Dresses", "Dress"), .leaf("Women's Shoes", "Sneaker")]),
            .branch("Men", [.leaf("Shirts", "Shirt"), .leaf("Men's Shoes", "Boot")]),
            .branch("Accessories", [.leaf("Bags", "Tote Bag"), .leaf("Fine Jewelry", "Necklace"), .leaf("Watches", "Watch")]),
        ], bands: [(999, 2_999, 35), (3_000, 9_999, 50), (10_000, 49_999, 15)], basisPoints: 1_300),
        Top(name: "Books", children: [
            .leaf("Fiction", "Novel"), .leaf("Non-fiction", "Book"), .leaf("Children's Books", "Picture Book"),
            .leaf("Comics", "Graphic Novel"),
        ], bands: [(499, 1_499, 60), (1_500, 3_999, 35), (4_000, 9_999, 5)], basisPoints: 1_500),
        Top(name: "Sports & Outdoors", children: [
            .leaf("Camping", "Tent"), .leaf("Fitness", "Yoga Mat"), .leaf("Cycling", "Bike Light"),
            .leaf("Running", "Running Vest"),
        ], bands: [(999, 4_999, 50), (5_000, 19_999, 40), (20_000, 79_999, 10)], basisPoints: nil),
        Top(name: "Toys & Games", children: [
            .leaf("Board Games", "Board Game"), .leaf("Puzzles", "Puzzle"), .leaf("Building Sets", "Building Set"),
        ], bands: [(799, 2_999, 55), (3_000, 8_999, 40), (9_000, 19_999, 5)], basisPoints: nil),
        Top(name: "Beauty", children: [
            .leaf("Skincare", "Serum"), .leaf("Fragrance", "Eau de Parfum"), .leaf("Hair Care", "Shampoo"),
        ], bands: [(599, 1_999, 50), (2_000, 5_999, 40), (6_000, 14_999, 10)], basisPoints: nil),
        Top(name: "Grocery", children: [
            .leaf("Coffee & Tea", "Coffee Beans"), .leaf("Snacks", "Snack Box"), .leaf("Pantry", "Olive Oil"),
        ], bands: [(299, 999, 55), (1_000, 2_999, 40), (3_000, 7_999, 5)], basisPoints: 500),
        Top(name: "Garden", children: [
            .leaf("Plants", "Plant"), .leaf("Garden Tools", "Pruner"), .leaf("Outdoor Furniture", "Bench"),
        ], bands: [(599, 2_999, 45), (3_000, 14_999, 40), (15_000, 59_999, 15)], basisPoints: nil),
        Top(name: "Health", children: [
            .leaf("Vitamins", "Multivitamin"), .leaf("Personal Care", "Electric Toothbrush"),
        ], bands: [(599, 2_999, 70), (3_000, 9_999, 30)], basisPoints: nil),
        Top(name: "Office", children: [
            .leaf("Stationery", "Notebook"), .leaf("Office Furniture", "Desk Chair"), .leaf("Printers", "Printer"),
        ], bands: [(299, 1_999, 50), (2_000, 9_999, 30), (10_000, 49_999, 20)], basisPoints: nil),
        Top(name: "Automotive", children: [
            .leaf("Car Care", "Car Wax"), .leaf("Car Electronics", "Dash Cam"), .leaf("Tools & Equipment", "Socket Set"),
        ], bands: [(999, 4_999, 55), (5_000, 19_999, 40), (20_000, 59_999, 5)], basisPoints: 800),
    ]

    init() {
        var categories: [SeedCategory] = []
        var leavesByTop: [Int: [Int]] = [:]
        var topIDs: [Int] = []
        var priceBands: [Int: [(Int64, Int64, Int)]] = [:]
        var rules: [(Int, Int)] = []
        var slugs: Set<String> = []

        func uniqueSlug(_ name: String) -> String {
            var slug = SeedText.slug(name)
            while slugs.contains(slug) { slug += "-x" }
            slugs.insert(slug)
            return slug
        }

        // Breadth first, so parents always come before their children in id order.
        var queue: [(node: Node, parent: Int, top: Int, position: Int)] = []
        for (position, top) in Self.tree.enumerated() {
            let id = categories.count + 1
            categories.append(SeedCategory(
                id: id, parentID: nil, name: top.name, slug: uniqueSlug(top.name), position: position, topID: id, noun: nil))
            topIDs.append(id)
            priceBands[id] = top.bands
            if let basisPoints = top.basisPoints { rules.append((id, basisPoints)) }
            for (childPosition, child) in top.children.enumerated() {
                queue.append((child, id, id, childPosition))
            }
        }
        var head = 0
        while head < queue.count {
            let (node, parent, top, position) = queue[head]
            head += 1
            let id = categories.count + 1
            switch node {
            case .leaf(let name, let noun):
                categories.append(SeedCategory(
                    id: id, parentID: parent, name: name, slug: uniqueSlug(name), position: position, topID: top, noun: noun))
                leavesByTop[top, default: []].append(id)
                if let basisPoints = Self.subcategoryRules[name] { rules.append((id, basisPoints)) }
            case .branch(let name, let children):
                categories.append(SeedCategory(
                    id: id, parentID: parent, name: name, slug: uniqueSlug(name), position: position, topID: top, noun: nil))
                for (childPosition, child) in children.enumerated() {
                    queue.append((child, id, top, childPosition))
                }
            }
        }
        self.categories = categories
        self.leavesByTop = leavesByTop
        self.topIDs = topIDs
        self.priceBands = priceBands
        self.categoryRules = rules.map { (categoryID: $0.0, basisPoints: $0.1) }
    }

    func category(_ id: Int) -> SeedCategory { categories[id - 1] }

    /// (entity type, code, label, data type, enum options as a JSON array, required)
    static let attributes: [(String, String, String, String, String?, Bool)] = [
        ("product", "brand", "Brand", "string", nil, false),
        ("product", "material", "Material", "enum", #"["cotton","wool","leather","steel","aluminium","wood","plastic","glass"]"#, false),
        ("product", "weight_kg", "Weight (kg)", "decimal", nil, false),
        ("product", "warranty_months", "Warranty (months)", "integer", nil, false),
        ("product", "country_of_origin", "Country of origin", "string", nil, false),
        ("product", "age_rating", "Age rating", "enum", #"["all","3+","7+","12+","16+","18+"]"#, false),
        ("product", "is_fragile", "Fragile", "boolean", nil, false),
        ("product", "care_instructions", "Care instructions", "text", nil, false),
        ("product", "release_date", "Release date", "date", nil, false),
        ("variant", "color", "Colour", "enum", #"["Black","White","Grey","Navy","Red","Green","Blue","Sand","Olive","Rose","Teal","Amber"]"#, false),
        ("variant", "size", "Size", "enum", #"["XS","S","M","L","XL","One Size"]"#, false),
        ("variant", "barcode", "Barcode (EAN-13)", "string", nil, false),
        ("variant", "weight_kg", "Shipping weight (kg)", "decimal", nil, true),
        ("organization", "tax_id", "Tax ID", "string", nil, true),
        ("organization", "country", "Country", "string", nil, true),
        ("organization", "support_email", "Support e-mail", "string", nil, true),
        ("organization", "return_days", "Return window (days)", "integer", nil, false),
        ("organization", "ships_internationally", "Ships internationally", "boolean", nil, false),
        ("user", "phone", "Phone", "string", nil, false),
        ("user", "marketing_opt_in", "Marketing e-mails", "boolean", nil, false),
        ("user", "birth_date", "Birth date", "date", nil, false),
        ("order", "gift_message", "Gift message", "text", nil, false),
        ("order", "delivery_window", "Delivery window", "enum", #"["morning","afternoon","evening","any"]"#, false),
        ("order", "purchase_order", "Purchase order number", "string", nil, false),
    ]
}
