-- The escalation funnel of an area and fiscal year, one row per root village need: how far up
-- the chain it went, and whether an agency put it in a budget request or funded it. Each need
-- is counted once, with the amount its village asked for (DESIGN §3.1).
WITH RECURSIVE walk AS (
    SELECT i.id AS root, i.id, p.level, i.beyond_capacity, i.requested_amount AS amount
    FROM plan_items i JOIN plans p ON p.id = i.plan_id
    WHERE p.level = 'village' AND i.fiscal_year = %(fiscal_year)s
      AND (%(area)s = 'TH' OR starts_with(i.area_code, %(area)s))
    UNION ALL
    SELECT w.root, e.id, pe.level, e.beyond_capacity, w.amount
    FROM walk w
    JOIN plan_items cur ON cur.id = w.id
    JOIN plan_items e ON e.id = cur.escalated_to_id
    JOIN plans pe ON pe.id = e.plan_id
), per_need AS (
    SELECT w.root, max(w.amount) AS amount,
           bool_or(w.level = 'village' AND w.beyond_capacity) AS beyond,
           bool_or(w.level IN ('tambon', 'local')) AS local_plan,
           bool_or(w.level = 'district') AS district,
           bool_or(w.level = 'province') AS province,
           bool_or(w.level = 'province' AND w.beyond_capacity) AS sent,
           bool_or(a.funding_source = 'agency' AND a.status IN ('requested', 'funded')) AS requested,
           bool_or(a.funding_source = 'agency' AND a.status = 'funded') AS funded
    FROM walk w
    LEFT JOIN allocations a ON a.plan_item_id = w.id AND a.fiscal_year = %(fiscal_year)s
    GROUP BY w.root
)
SELECT step, count(*) FILTER (WHERE reached) AS items,
       coalesce(sum(amount) FILTER (WHERE reached), 0) AS amount
FROM per_need
CROSS JOIN LATERAL (VALUES
    (1, true), (2, beyond), (3, local_plan), (4, district), (5, province), (6, sent),
    (7, requested), (8, funded)) AS s(step, reached)
GROUP BY step
ORDER BY step;
