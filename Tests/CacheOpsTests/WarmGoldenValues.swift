// What a warm of the tiny seed (seed 1) at the tests' reference time writes, recorded byte
// for byte: a change to the emitter or to a declaration must leave it as it is; a change
// to the seed or to a family's contract updates it (`WarmGoldenTests` prints what it got).

/// For each family, how many keys the warm writes and the SHA-256 of its lines
/// `key TAB ttl-seconds TAB value LF`, sorted by key.
let warmGoldenDigests: [String: (keys: Int, sha256: String)] = [
    "perm": (1760, "b8620b9a4b56016cf8c767f1beb07f493389851f77172134d61a400d8f272c34"),
    "user-orgs": (28, "df48233233fd6fc983aefc3c95c825ed1e018f04e769d55ba8e0bc9e49d3661b"),
    "org": (12, "b0a473aaf009e39519264b2814dc33e2f707e96504c7f9d533437767cb19d09f"),
    "org-members": (12, "b672fc71367742ffb5e40797de9d62b34e19d1b4ce8c730c74f3703c8840f5c0"),
    "org-stats": (12, "458004de255637a4ed0349622496ff1d7fdac21f5a0fdb4a4e27ce139a70d4fe"),
    "attr-entity": (5, "10854b656f9ae218fb51252ce538595194e958260bbb42a84fe9014cd0295e71"),
    "attr": (24, "9f4f550c6fd52ba641d31f725d8ab6fbe9331ddf638fa0dccde248a7f66e7963"),
    "product": (500, "7d284ab5523ef9745531656ea3ce1a1bc2166c41bf569a5b1ef79cc47ea1b403"),
    "product-variants": (500, "144e3af81eb4771e5dbbb0637c830e6a1f1b600cf5d39eb58b678cbd2aeaa9af"),
    "org-products": (12, "bdb825959d70aa5477a8a10e353611a84aafb6362c6dec3c931196372ae511a5"),
    "category-products": (67, "8dad099427145dbc7431db8fcbaa4f1838abcaa330b3d3840a17de8436ad3379"),
    "category-tree": (1, "b17d7e3e4bb344d1315ffc805e7fb3b3b535a72b6063ec54f60d96558eb246b6"),
    "commission": (738, "090b4b3b9273319b76b093f2ed4f29cceaafbc6ea71148153c656ef7ed86fd3d"),
    "order-vendor-items": (10, "27aeecaf8faeba2a70203f51c068270034a62743782a05a14733c88c373235c6"),
    "vendor-earnings": (125, "5457fecdaed98edbe0134a235a2ade8a81f315a242bbe179cdf778a10dbbf3e7"),
    "cart": (20, "103a204dc5950776e26bde8a644e0d8b71290c4791672b6e665f6bc9a18cdb9b"),
    "stock": (974, "036ac8abf940b5a9ac4e2a5f0f63ce789b98a097d2a499c157b607c6e293a073"),
    "admin-stats": (3, "08a3de87c72087fdaa48346fec07768e0607e5605d33671d9f3a4bb83d6abb77"),
    "admin-top-products": (1, "80a82663e223f1045831627215bb27b91c6b9ea6e7573c27d374028036a7810a"),
    "admin-revenue": (3, "5942069d0672ecb72115f6508d30117335930c564b661a1a4e97f2167de3ba72"),
]

/// Selected keys (values up to 1,500 bytes; every period of the admin families; a perm
/// key granted, one refused by the role, one refused because the org is suspended), with
/// TTL in seconds and value.
let warmGoldenKeys: [(key: String, ttl: Int, value: String)] = [
    (#"perm:11:4:attribute:create"#, 300, #"true"#),
    (#"perm:1:1:attribute:create"#, 300, #"false"#),
    (#"perm:62:7:product:create"#, 300, #"false"#),
    (#"user:orgs:1"#, 900, #"[{"id":3,"userId":1,"organizationId":1,"roleId":4,"role":"staff","createdAt":"2023-11-23T17:02:29.000Z","updatedAt":"2023-11-23T17:02:29.000Z","organization":{"id":1,"name":"Apex Outlet","slug":"apex-outlet-1","status":"active","commissionRate":"0.0800","suspendedReason":null,"suspendedAt":null,"createdAt":"2023-02-17T04:17:38.000Z","updatedAt":"2024-09-24T07:39:32.000Z"}},{"id":33,"userId":1,"organizationId":9,"roleId":5,"role":"viewer","createdAt":"2025-03-30T07:44:36.000Z","updatedAt":"2025-03-30T07:44:36.000Z","organization":{"id":9,"name":"Kestrel Works","slug":"kestrel-works-9","status":"active","commissionRate":"0.1000","suspendedReason":null,"suspendedAt":null,"createdAt":"2025-03-06T16:17:47.000Z","updatedAt":"2026-10-14T17:14:52.000Z"}}]"#),
    (#"org:1"#, 1800, #"{"id":1,"name":"Apex Outlet","slug":"apex-outlet-1","status":"active","commissionRate":"0.0800","suspendedReason":null,"suspendedAt":null,"createdAt":"2023-02-17T04:17:38.000Z","updatedAt":"2024-09-24T07:39:32.000Z"}"#),
    (#"org:10:members"#, 1800, #"[{"id":34,"userId":72,"organizationId":10,"roleId":1,"role":"owner","createdAt":"2026-01-04T12:17:58.000Z","updatedAt":"2026-01-04T12:17:58.000Z","user":{"id":72,"email":"paula.patel72@example.org","name":"Paula Patel"}},{"id":35,"userId":16,"organizationId":10,"roleId":3,"role":"manager","createdAt":"2025-06-20T22:32:48.000Z","updatedAt":"2025-06-20T22:32:48.000Z","user":{"id":16,"email":"daniel.chen16@example.com","name":"Daniel Chen"}},{"id":36,"userId":50,"organizationId":10,"roleId":5,"role":"viewer","createdAt":"2025-07-08T14:17:33.000Z","updatedAt":"2025-07-08T14:17:33.000Z","user":{"id":50,"email":"theo.olsen50@example.com","name":"Theo Olsen"}}]"#),
    (#"org:10:stats"#, 1800, #"{"organizationId":10,"memberCount":3,"productCount":25,"activeProductCount":17,"orderCount":22,"itemsSold":34,"grossSales":"10525.30"}"#),
    (#"attr:entity:order"#, 3600, #"[{"id":22,"entityType":"order","code":"gift_message","label":"Gift message","dataType":"text","options":null,"isRequired":false,"createdAt":"2022-10-18T09:00:00.000Z","updatedAt":"2022-10-18T09:00:00.000Z"},{"id":23,"entityType":"order","code":"delivery_window","label":"Delivery window","dataType":"enum","options":["morning","afternoon","evening","any"],"isRequired":false,"createdAt":"2022-10-18T10:00:00.000Z","updatedAt":"2022-10-18T10:00:00.000Z"},{"id":24,"entityType":"order","code":"purchase_order","label":"Purchase order number","dataType":"string","options":null,"isRequired":false,"createdAt":"2022-10-18T11:00:00.000Z","updatedAt":"2022-10-18T11:00:00.000Z"}]"#),
    (#"attr:1"#, 3600, #"{"id":1,"entityType":"product","code":"brand","label":"Brand","dataType":"string","options":null,"isRequired":false,"createdAt":"2022-10-17T12:00:00.000Z","updatedAt":"2022-10-17T12:00:00.000Z"}"#),
    (#"product:1"#, 1800, #"{"id":1,"organizationId":1,"categoryId":44,"name":"Terra Bench Z839","slug":"terra-bench-z839-1","description":"Terra bench by Apex Outlet. Designed and tested by our in-house team.","status":"active","price":"26.99","currency":"USD","createdAt":"2023-05-17T06:20:42.000Z","updatedAt":"2024-02-28T07:26:04.000Z"}"#),
    (#"product:100:with-variants"#, 1800, #"{"id":100,"organizationId":2,"categoryId":32,"name":"Travel Running Vest C658","slug":"travel-running-vest-c658-2s","description":"Travel running vest by Coral Works. Backed by friendly support.","status":"archived","price":"70.49","currency":"USD","createdAt":"2024-03-30T18:34:32.000Z","updatedAt":"2026-07-16T20:10:51.000Z","variants":[{"id":195,"productId":100,"sku":"P2S-1-SND","name":"Sand","price":"70.49","stock":0,"createdAt":"2024-03-30T18:34:32.000Z","updatedAt":"2026-07-16T20:10:51.000Z"},{"id":196,"productId":100,"sku":"P2S-2-OLV","name":"Olive","price":"70.49","stock":0,"createdAt":"2024-03-30T18:34:32.000Z","updatedAt":"2026-07-16T20:10:51.000Z"}]}"#),
    (#"org:12:products"#, 900, #"[]"#),
    (#"category:10:products"#, 900, #"[]"#),
    (#"category:17:products"#, 900, #"[{"id":287,"organizationId":5,"categoryId":17,"name":"Prime Skillet H542","slug":"prime-skillet-h542-7z","description":"Prime skillet by Iron Oak Outlet. Handpicked for quality.","status":"active","price":"58.99","currency":"USD","createdAt":"2025-05-07T12:55:11.000Z","updatedAt":"2025-05-21T14:38:51.000Z"},{"id":306,"organizationId":5,"categoryId":17,"name":"Pro Skillet A171","slug":"pro-skillet-a171-8i","description":"Pro skillet by Iron Oak Outlet. Ships in recyclable packaging.","status":"active","price":"77.99","currency":"USD","createdAt":"2025-09-08T21:02:20.000Z","updatedAt":"2026-04-01T18:16:15.000Z"}]"#),
    (#"commission:100:70.49"#, 600, #"{"productId":100,"price":"70.49","rate":"0.1200","commission":"8.46","vendorAmount":"62.03"}"#),
    (#"order:242:vendor:2:items"#, 300, #"[{"id":547,"orderId":242,"productId":127,"variantId":248,"organizationId":2,"quantity":5,"unitPrice":"161.39","commissionAmount":"96.83","vendorAmount":"710.12","status":"shipped","createdAt":"2026-10-30T03:23:11.000Z","updatedAt":"2026-10-30T03:28:39.000Z"},{"id":548,"orderId":242,"productId":143,"variantId":280,"organizationId":2,"quantity":2,"unitPrice":"29.49","commissionAmount":"7.08","vendorAmount":"51.90","status":"shipped","createdAt":"2026-10-30T03:23:11.000Z","updatedAt":"2026-10-30T03:28:39.000Z"}]"#),
    (#"vendor:10:earnings:2025-11"#, 3600, #"{"organizationId":10,"month":"2025-11","orderCount":1,"itemsSold":2,"grossSales":"115.98","commission":"6.96","vendorEarnings":"109.02","refunded":"0.00"}"#),
    (#"cart:10"#, 600, #"{"id":20,"userId":10,"createdAt":"2026-10-27T22:02:32.000Z","updatedAt":"2026-11-12T20:52:34.000Z","items":[{"id":44,"cartId":20,"variantId":963,"quantity":1,"addedAt":"2026-11-12T20:52:34.000Z","variant":{"id":963,"productId":495,"sku":"PDR-2-GRY","name":"Grey","price":"8.49","stock":0,"createdAt":"2025-10-21T22:29:28.000Z","updatedAt":"2026-06-01T00:58:36.000Z","product":{"id":495,"organizationId":11,"categoryId":46,"name":"Ultra Electric Toothbrush U155","slug":"ultra-electric-toothbrush-u155-dr","description":"Ultra electric toothbrush by Lantern Traders. Backed by friendly support.","status":"active","price":"8.49","currency":"USD","createdAt":"2025-10-21T22:29:28.000Z","updatedAt":"2026-06-01T00:58:36.000Z"}}},{"id":45,"cartId":20,"variantId":384,"quantity":3,"addedAt":"2026-11-10T04:00:09.000Z","variant":{"id":384,"productId":198,"sku":"P5I-1-BLK","name":"Black","price":"47.74","stock":320,"createdAt":"2024-05-09T20:58:11.000Z","updatedAt":"2026-09-11T21:02:33.000Z","product":{"id":198,"organizationId":3,"categoryId":32,"name":"Eco Running Vest H756","slug":"eco-running-vest-h756-5i","description":"Eco running vest by Urban Loom Store. Made from responsibly sourced materials.","status":"active","price":"47.74","currency":"USD","createdAt":"2024-05-09T20:58:11.000Z","updatedAt":"2026-09-11T21:02:33.000Z"}}}]}"#),
    (#"stock:1"#, 120, #"86"#),
    (#"admin:stats:month"#, 3600, #"{"period":"month","from":"2026-11-01T00:00:00.000Z","to":"2026-11-15T12:00:00.000Z","orderCount":13,"paidOrderCount":12,"revenue":"5044.21","averageOrderValue":"420.35","newUsers":1,"newOrganizations":0}"#),
    (#"admin:stats:today"#, 300, #"{"period":"today","from":"2026-11-15T00:00:00.000Z","to":"2026-11-15T12:00:00.000Z","orderCount":0,"paidOrderCount":0,"revenue":"0.00","averageOrderValue":"0.00","newUsers":0,"newOrganizations":0}"#),
    (#"admin:stats:week"#, 3600, #"{"period":"week","from":"2026-11-09T00:00:00.000Z","to":"2026-11-15T12:00:00.000Z","orderCount":6,"paidOrderCount":5,"revenue":"2487.78","averageOrderValue":"497.56","newUsers":0,"newOrganizations":0}"#),
    (#"admin:revenue:month"#, 3600, #"{"period":"month","from":"2026-11-01T00:00:00.000Z","to":"2026-11-15T12:00:00.000Z","orderCount":12,"grossSales":"5044.21","platformCommission":"467.13","vendorEarnings":"4577.08","refunded":"2.17"}"#),
    (#"admin:revenue:today"#, 3600, #"{"period":"today","from":"2026-11-15T00:00:00.000Z","to":"2026-11-15T12:00:00.000Z","orderCount":0,"grossSales":"0.00","platformCommission":"0.00","vendorEarnings":"0.00","refunded":"0.00"}"#),
    (#"admin:revenue:week"#, 3600, #"{"period":"week","from":"2026-11-09T00:00:00.000Z","to":"2026-11-15T12:00:00.000Z","orderCount":5,"grossSales":"2487.78","platformCommission":"237.41","vendorEarnings":"2250.37","refunded":"0.00"}"#),
]
