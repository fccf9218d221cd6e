import ArgumentParser
import CacheOps
import Marketplace
import Support

struct ProductsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products",
        abstract: "List and change products; every change invalidates exactly the cache keys it makes stale.",
        discussion: """
            Example:
              wwctl products set-price 17 24.90 --dry-run
            """,
        subcommands: [
            ProductsListCommand.self, ProductsShowCommand.self, ProductsSetPriceCommand.self,
            ProductsSetStatusCommand.self, ProductsSetStockCommand.self, ProductsSetCategoryCommand.self,
            ProductsCategoriesCommand.self,
        ])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

extension ProductStatus: ExpressibleByArgument {}

struct ProductsListCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List products from PostgreSQL, by id.",
        discussion: """
            Example:
              wwctl products list --org 7 --status active --limit 20

            Filters combine. An --org or --category that does not exist is bad input (65).
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Only this organization's products.", valueName: "org"))
    var org: Int?

    @Option(help: ArgumentHelp("Only products directly in this category.", valueName: "category"))
    var category: Int?

    @Option(help: ArgumentHelp("Only products with this status: draft, active or archived.", valueName: "status"))
    var status: ProductStatus?

    @Option(help: ArgumentHelp("At most this many products.", valueName: "n"))
    var limit: Int = 100

    func execute(_ context: CommandContext) throws {
        let products = try ProductCatalog(try context.postgres())
            .list(ProductFilter(organizationId: org, categoryId: category, status: status, limit: limit))
        try context.output.emit(ProductList(products: products))
    }
}

struct ProductsShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a product from PostgreSQL, with its effective commission rate.",
        discussion: """
            Example:
              wwctl products show 42 --with-variants
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The product id.", valueName: "product"))
    var product: Int

    @Flag(help: "Also show the variants with their stock.")
    var withVariants = false

    func execute(_ context: CommandContext) throws {
        let detail = try ProductCatalog(try context.postgres()).show(product, withVariants: withVariants)
        try context.output.emit(ProductDetailView(detail: detail))
    }
}

struct ProductsCategoriesCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "Print the category tree, with the number of products directly in each category.",
        discussion: """
            Example:
              wwctl products categories

            JSON is the nested tree: each category with its `children`.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) throws {
        try context.output.emit(CategoryTreeView(roots: try ProductCatalog(try context.postgres()).categoryTree()))
    }
}

// MARK: changes

/// Options every product change takes.
struct ProductChangeOptions: ParsableArguments {
    @Flag(help: "Show the change and the cache keys it would invalidate (those that exist), changing nothing.")
    var dryRun = false
}

/// Connects Redis first (so an unreachable Redis refuses the change before anything is
/// written), then PostgreSQL.
private func productChanges(_ context: CommandContext) throws -> ProductChanges {
    let redis = try context.redis()
    return ProductChanges(postgres: try context.postgres(), redis: redis, keyspace: context.keyspace, actor: context.actor)
}

struct ProductsSetPriceCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-price",
        abstract: "Set a product's price, then invalidate its cached keys.",
        discussion: """
            Example:
              wwctl products set-price 42 24.90 --dry-run

            PRICE is digits with at most two decimals (19.99); anything else (-1, 1.999, 1e3, \
            abc) is a usage error (64). 0 and amounts above 999999999999.99 are bad input \
            (65). Nothing is written or invalidated when the price is refused.

            After the change commits, the keys the keyspace registry names for a product \
            change are deleted by name: product:{p}, product:{p}:with-variants, \
            org:{o}:products, org:{o}:stats, category:{c}:products, commission:{p}:{price} \
            at the old and new price and at the variants' prices, stock:{v} of each variant \
            and cart:{u} of carts holding one. Then commission:{p}:* is swept with SCAN for \
            prices seen in old orders or carts, which cannot be enumerated; the sweep walks \
            the whole keyspace and is reported (and timed) separately from the deletion by \
            name.

            --no-sweep skips that sweep. A commission entry at another price is computed \
            from that price and the commission rate, neither of which a price change \
            alters, and it expires within 600 s; use it when repricing many products, then \
            sweep once with `wwctl cache invalidate --family commission` if needed.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var change: ProductChangeOptions

    @Argument(help: ArgumentHelp("The product id.", valueName: "product"))
    var product: Int

    @Argument(help: ArgumentHelp("The new price, e.g. 19.99.", valueName: "price"))
    var price: String

    @Flag(help: "Skip the SCAN sweep of the product's commission keys at other prices.")
    var noSweep = false

    func execute(_ context: CommandContext) throws {
        let value = try AmountInput.price(price)
        let report = try productChanges(context).setPrice(product, to: value, dryRun: change.dryRun, runSweep: !noSweep)
        try context.output.emitChange(MutationOutput(report: report))
    }
}

struct ProductsSetStatusCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-status",
        abstract: "Set a product's status (draft, active, archived), then invalidate its cached keys.",
        discussion: """
            Example:
              wwctl products set-status 42 archived

            Invalidates what set-price does (see its help), with the current price; \
            --no-sweep skips the commission sweep for the same reason.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var change: ProductChangeOptions

    @Argument(help: ArgumentHelp("The product id.", valueName: "product"))
    var product: Int

    @Argument(help: ArgumentHelp("draft, active or archived.", valueName: "status"))
    var status: ProductStatus

    @Flag(help: "Skip the SCAN sweep of the product's commission keys at other prices.")
    var noSweep = false

    func execute(_ context: CommandContext) throws {
        let report = try productChanges(context).setStatus(product, to: status, dryRun: change.dryRun, runSweep: !noSweep)
        try context.output.emitChange(MutationOutput(report: report))
    }
}

struct ProductsSetCategoryCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-category",
        abstract: "Move a product to another category, then invalidate its cached keys.",
        discussion: """
            Example:
              wwctl products set-category 42 9

            Both categories' product lists are invalidated. The commission sweep always \
            runs: the commission rate may differ in the new category.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var change: ProductChangeOptions

    @Argument(help: ArgumentHelp("The product id.", valueName: "product"))
    var product: Int

    @Argument(help: ArgumentHelp("The category id.", valueName: "category"))
    var category: Int

    func execute(_ context: CommandContext) throws {
        let report = try productChanges(context).setCategory(product, to: category, dryRun: change.dryRun)
        try context.output.emitChange(MutationOutput(report: report))
    }
}

struct ProductsSetStockCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-stock",
        abstract: "Set a variant's stock level, then invalidate stock:{v} and product:{p}:with-variants.",
        discussion: """
            Example:
              wwctl products set-stock 1201 35

            QUANTITY is a whole number of 0 or more; anything else is a usage error (64), \
            more than 2147483647 bad input (65).
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var change: ProductChangeOptions

    @Argument(help: ArgumentHelp("The variant id.", valueName: "variant"))
    var variant: Int

    @Argument(help: ArgumentHelp("The new stock level.", valueName: "quantity"))
    var quantity: String

    func execute(_ context: CommandContext) throws {
        let value = try AmountInput.quantity(quantity)
        let report = try productChanges(context).setStock(variant, to: value, dryRun: change.dryRun)
        try context.output.emitChange(MutationOutput(report: report))
    }
}
