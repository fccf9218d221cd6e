import Marketplace
import Support

struct ProductList: Renderable {
    var products: [ProductSummary]

    func encode(to encoder: any Encoder) throws { try products.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("ID", .right), .init("ORG", .right), .init("CATEGORY", .right), .init("STATUS"),
            .init("PRICE", .right), .init("NAME"),
        ])
        for p in products {
            table.append(String(p.id), String(p.organizationId), String(p.categoryId), p.status,
                         "\(p.price) \(p.currency)", p.name)
        }
        return table.render(width: context.width) + "\(products.count) product\(products.count == 1 ? "" : "s")\n"
    }
}

struct ProductDetailView: Renderable {
    var detail: ProductDetail

    func encode(to encoder: any Encoder) throws { try detail.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        let d = detail
        let shown = TerminalText.escaped
        var text = "product \(d.id): \(shown(d.name)) (\(shown(d.slug)))\n"
        text += "  status        \(shown(d.status))\n"
        text += "  price         \(d.price) \(shown(d.currency))\n"
        text += "  organization  \(d.organizationId) \(shown(d.organizationName))\n"
        text += "  category      \(d.categoryId) \(shown(d.categoryName))\n"
        text += "  commission    \(d.commissionRate)\n"
        text += "  variants      \(d.variantCount)\n"
        text += "  created       \(d.createdAt)\n"
        text += "  updated       \(d.updatedAt)\n"
        if let variants = d.variants {
            var table = TextTable([.init("VARIANT", .right), .init("SKU"), .init("PRICE", .right), .init("STOCK", .right), .init("NAME")])
            for v in variants { table.append(String(v.id), v.sku, v.price.description, String(v.stock), v.name) }
            text += "\n" + table.render(width: context.width)
        }
        return text
    }
}

struct CategoryTreeView: Renderable {
    var roots: [CategoryNode]

    func encode(to encoder: any Encoder) throws { try roots.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("ID", .right), .init("CATEGORY"), .init("SLUG"), .init("PRODUCTS", .right)])
        func add(_ node: CategoryNode, depth: Int) {
            table.append(String(node.id), String(repeating: "  ", count: depth) + node.name, node.slug, String(node.productCount))
            for child in node.children { add(child, depth: depth + 1) }
        }
        for root in roots { add(root, depth: 0) }
        return table.render(width: context.width)
    }
}
