-- Records placed at tambon or village precision, with the chain each belongs to (the top item
-- of its escalation chain; an allocation belongs to the chain of the item it funds).
WITH RECURSIVE tops AS (
    SELECT i.id, i.id AS top, i.escalated_to_id FROM plan_items i
    WHERE i.location_precision IN ('tambon', 'village')
    UNION ALL
    SELECT t.id, e.id, e.escalated_to_id FROM tops t JOIN plan_items e ON e.id = t.escalated_to_id
), chain_top AS (
    SELECT DISTINCT ON (id) id, top FROM tops WHERE escalated_to_id IS NULL
)
SELECT 'plan_item' AS kind, i.id, i.fiscal_year, left(i.area_code, 6) AS tambon_code,
       p.level || ' plan' AS source, i.title, i.requested_amount AS amount, 'i' || c.top AS chain
FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN chain_top c ON c.id = i.id
WHERE p.level IN ('local', 'district', 'province', 'cluster')
UNION ALL
SELECT 'allocation', a.id, a.fiscal_year, left(a.area_code, 6), a.funding_source || ' funding:' || coalesce(a.agency_id::text, '-'),
       a.title, a.amount, coalesce('i' || c.top, 'a' || a.id)
FROM allocations a LEFT JOIN chain_top c ON c.id = a.plan_item_id
WHERE a.status = 'funded' AND a.location_precision IN ('tambon', 'village');
