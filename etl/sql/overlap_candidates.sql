-- Records placed at tambon or village precision, with the chain each belongs to (the top item
-- of its escalation chain; an allocation belongs to the chain of the item it funds). Only the
-- items that can take part are walked (plans from the local level up, and funded items), and
-- the walk stops after 12 steps so a loop in bad data cannot run forever. With each record the
-- items its walk passed (path: a load that changes one of them can change its chain). Plan items
-- first, then allocations, each by id: the order the search breaks ties in (a pair of chains
-- whose evidence could be an allocation's or its plan item's shows the plan item).
WITH RECURSIVE wanted AS (
    SELECT i.id FROM plan_items i JOIN plans p ON p.id = i.plan_id
    WHERE p.level IN ('local', 'district', 'province', 'cluster')
      AND i.location_precision IN ('tambon', 'village')
    UNION
    SELECT a.plan_item_id FROM allocations a
    WHERE a.plan_item_id IS NOT NULL AND a.status = 'funded' AND a.location_precision IN ('tambon', 'village')
), tops AS (
    SELECT w.id, i.id AS top, i.escalated_to_id, 0 AS depth, ARRAY[i.id] AS path
    FROM wanted w JOIN plan_items i ON i.id = w.id
    UNION ALL
    SELECT t.id, e.id, e.escalated_to_id, t.depth + 1, t.path || e.id
    FROM tops t JOIN plan_items e ON e.id = t.escalated_to_id
    WHERE t.depth < 12
), chain_top AS (
    SELECT DISTINCT ON (id) id, top, path FROM tops ORDER BY id, depth DESC
)
SELECT 'plan_item' AS kind, i.id, i.fiscal_year, left(i.area_code, 6) AS tambon_code,
       p.level || ' plan' AS source, i.title, i.requested_amount AS amount, 'i' || c.top AS chain, c.path
FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN chain_top c ON c.id = i.id
WHERE p.level IN ('local', 'district', 'province', 'cluster')
  AND i.location_precision IN ('tambon', 'village')
UNION ALL
SELECT 'allocation', a.id, a.fiscal_year, left(a.area_code, 6), a.funding_source || ' funding:' || coalesce(a.agency_id::text, '-'),
       a.title, a.amount, coalesce('i' || c.top, 'a' || a.id), coalesce(c.path, '{}')
FROM allocations a LEFT JOIN chain_top c ON c.id = a.plan_item_id
WHERE a.status = 'funded' AND a.location_precision IN ('tambon', 'village')
ORDER BY 1 DESC, 2;
