// Migration 3: effective_commission_rate() stops walking up the category tree after 64
// levels.
//
// The schema refuses only a category that is its own parent (categories_not_own_parent);
// two categories that are each other's parent make the recursive walk of migration 1's
// function run until the statement is cancelled. The function is redefined with the same
// signature, result and rule order, its walk bounded to depths 0…63: the category tree's
// limit (the category-tree warm refuses deeper trees), and the bound of the commission
// warm's own walk, so the two keep agreeing. Migration 1 itself is history and stays as
// it was applied.
extension Migrations {
    static let m0003CommissionCycleGuard = Migration(
        version: 3,
        name: "commission rate walk bounded to 64 category levels",
        sql: #"""
        CREATE OR REPLACE FUNCTION effective_commission_rate(p_product_id bigint) RETURNS numeric(5,4)
        LANGUAGE sql STABLE AS $$
            WITH RECURSIVE product AS (
                SELECT organization_id, category_id FROM products WHERE id = p_product_id
            ), chain(category_id, depth) AS (
                SELECT category_id, 0 FROM product
                UNION ALL
                SELECT c.parent_id, chain.depth + 1
                FROM chain JOIN categories c ON c.id = chain.category_id
                WHERE c.parent_id IS NOT NULL AND chain.depth + 1 < 64
            )
            SELECT coalesce(
                (SELECT r.rate
                 FROM chain
                 JOIN commission_rules r ON r.category_id = chain.category_id
                 CROSS JOIN product
                 WHERE (r.scope = 'organization' AND r.organization_id = product.organization_id)
                    OR r.scope = 'category'
                 ORDER BY chain.depth, (r.scope = 'organization') DESC
                 LIMIT 1),
                (SELECT o.commission_rate FROM organizations o JOIN product ON o.id = product.organization_id))
        $$;
        """#)
}
