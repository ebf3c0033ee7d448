-- The trace view's search: needs of an area and fiscal year (roots of escalation chains: items
-- nothing was escalated into) whose title contains the search text, largest first, with how far
-- each went (the plan level at the top of its chain, and whether an allocation requested or
-- funded any item of the chain). "patterns" are LIKE patterns of area codes; "search" is an
-- ILIKE pattern (wildcards in the user's text already escaped) or NULL for every need.
WITH found AS (
    SELECT i.id, i.title, i.area_code, i.requested_amount, p.level AS plan_level,
           count(*) OVER () AS total
    FROM plan_items i
    JOIN plans p ON p.id = i.plan_id
    WHERE i.fiscal_year = %(fiscal_year)s
      AND i.area_code LIKE ANY (%(patterns)s)
      AND (%(search)s::text IS NULL OR i.title ILIKE %(search)s)
      AND NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.escalated_to_id = i.id)
    ORDER BY i.requested_amount DESC, i.id
    LIMIT %(limit)s
)
SELECT f.id, f.title, f.area_code, a.name_th AS area_name_th, a.name_en AS area_name_en,
       f.requested_amount, f.plan_level, f.total, r.top_level, r.funded, r.requested
FROM found f
JOIN areas a ON a.code = f.area_code
CROSS JOIN LATERAL (
    WITH RECURSIVE up AS (
        SELECT f.id AS id, 0 AS depth
        UNION ALL
        SELECT e.escalated_to_id, u.depth + 1
        FROM up u JOIN plan_items e ON e.id = u.id
        WHERE e.escalated_to_id IS NOT NULL AND u.depth < 20
    )
    SELECT (SELECT p.level FROM up JOIN plan_items i ON i.id = up.id JOIN plans p ON p.id = i.plan_id
            ORDER BY up.depth DESC LIMIT 1) AS top_level,
           EXISTS (SELECT 1 FROM up JOIN allocations al ON al.plan_item_id = up.id
                   WHERE al.status = 'funded') AS funded,
           EXISTS (SELECT 1 FROM up JOIN allocations al ON al.plan_item_id = up.id
                   WHERE al.status = 'requested') AS requested
) r
ORDER BY f.requested_amount DESC, f.id;
