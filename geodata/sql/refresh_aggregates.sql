-- Rebuild the dashboard's pre-aggregates from plan_items and allocations (one transaction).
DELETE FROM agg_demand;
DELETE FROM agg_supply;

INSERT INTO agg_demand (area_code, fiscal_year, plan_level, scope, items, requested, beyond_capacity, escalated)
WITH per_area AS (
    SELECT i.area_code, i.fiscal_year, p.level AS plan_level,
           count(*) AS items, sum(i.requested_amount) AS requested,
           count(*) FILTER (WHERE i.beyond_capacity) AS beyond_capacity,
           count(*) FILTER (WHERE i.escalated_to_id IS NOT NULL) AS escalated
    FROM plan_items i JOIN plans p ON p.id = i.plan_id
    GROUP BY 1, 2, 3
)
SELECT anc.ancestor_code, pa.fiscal_year, pa.plan_level, s.scope,
       sum(pa.items), sum(pa.requested), sum(pa.beyond_capacity), sum(pa.escalated)
FROM per_area pa
JOIN area_ancestors anc ON anc.area_code = pa.area_code
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE s.scope = 'total' OR anc.is_self
GROUP BY 1, 2, 3, 4;

INSERT INTO agg_supply (area_code, fiscal_year, funding_source, status, scope, items, amount, linked)
WITH per_area AS (
    SELECT area_code, fiscal_year, funding_source, status,
           count(*) AS items, sum(amount) AS amount,
           count(*) FILTER (WHERE plan_item_id IS NOT NULL) AS linked
    FROM allocations
    GROUP BY 1, 2, 3, 4
)
SELECT anc.ancestor_code, pa.fiscal_year, pa.funding_source, pa.status, s.scope,
       sum(pa.items), sum(pa.amount), sum(pa.linked)
FROM per_area pa
JOIN area_ancestors anc ON anc.area_code = pa.area_code
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE s.scope = 'total' OR anc.is_self
GROUP BY 1, 2, 3, 4, 5;
