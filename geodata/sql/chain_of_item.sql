-- The chain of one plan item: down to its root need (following the earliest item that escalated
-- into each step), then up through every item that took it up. depth < 0 is below the item.
WITH RECURSIVE down AS (
    SELECT i.id, 0 AS depth FROM plan_items i WHERE i.id = %(item_id)s
    UNION ALL
    SELECT (SELECT min(c.id) FROM plan_items c WHERE c.escalated_to_id = d.id), d.depth - 1
    FROM down d
    WHERE EXISTS (SELECT 1 FROM plan_items c WHERE c.escalated_to_id = d.id)
), up AS (
    SELECT i.id, i.escalated_to_id, 0 AS depth FROM plan_items i WHERE i.id = %(item_id)s
    UNION ALL
    SELECT e.id, e.escalated_to_id, u.depth + 1
    FROM up u JOIN plan_items e ON e.id = u.escalated_to_id
), path AS (
    SELECT id, depth FROM down WHERE depth < 0
    UNION ALL
    SELECT id, depth FROM up
)
SELECT path.depth, i.id, p.level AS plan_level, i.item_key, i.title, i.area_code, i.fiscal_year,
       i.requested_amount, i.beyond_capacity, p.submitted_on,
       coalesce(json_agg(json_build_object(
           'source_key', a.source_key, 'status', a.status, 'amount', a.amount::text,
           'agency_id', a.agency_id, 'notified_on', a.notified_on, 'match_method', a.match_method)
           ORDER BY a.source_key) FILTER (WHERE a.id IS NOT NULL), '[]') AS allocations
FROM path
JOIN plan_items i ON i.id = path.id
JOIN plans p ON p.id = i.plan_id
LEFT JOIN allocations a ON a.plan_item_id = i.id
GROUP BY path.depth, i.id, p.level, p.submitted_on
ORDER BY path.depth;
