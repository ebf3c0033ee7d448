-- Rebuild the dashboard's pre-aggregates from plan_items and allocations: the single refresh
-- entry point, run after every load (one transaction when the caller holds one; no parameters).
-- Rules in geodata/migrations/0003_aggregates.sql and 0005_dashboard.sql.

-- Fresh statistics first: a load has just written these tables in this transaction, and without
-- them the planner takes a million-row table for an empty one.
ANALYZE plans, plan_items, allocations, areas;

-- 1. Funding per item: walk down from each funded allocation's item along escalated_to_id
--    (everything below it is funded by it), then split the allocation among the items of each
--    plan level it reaches, pro rata to requested amounts, in whole satang (largest remainder).
SET LOCAL work_mem = '256MB';

DELETE FROM item_funding;

-- Group by sorting, not hashing: the aggregates are written in the order of their keys, which
-- sorted groups give as they come (a national load of 1M items refreshes about 2 s faster).
-- For this refresh only: the setting as it was is restored at the end of this file.
-- Memoize off too: on the area_ancestors view it misses on every area (each has ancestors of its
-- own); in one plan of the funnel it cost 15 s.
SELECT set_config('planmap.enable_hashagg', current_setting('enable_hashagg'), true),
       set_config('planmap.enable_memoize', current_setting('enable_memoize'), true),
       set_config('enable_hashagg', 'off', true),
       set_config('enable_memoize', 'off', true);

INSERT INTO item_funding (item_id, fiscal_year, funded, allocations)
WITH RECURSIVE reach (alloc_id, item_id) AS (
    SELECT a.id, a.plan_item_id
    FROM allocations a
    WHERE a.status = 'funded' AND a.plan_item_id IS NOT NULL
  UNION ALL
    SELECT r.alloc_id, c.id
    FROM reach r
    JOIN plan_items c ON c.escalated_to_id = r.item_id
) CYCLE item_id SET in_cycle USING path,
attributed AS (
    SELECT r.alloc_id, r.item_id, p.level, i.fiscal_year,
           a.amount * 100 AS pot,                                   -- satang
           i.requested_amount AS weight,
           sum(i.requested_amount) OVER g AS weight_total,
           count(*) OVER g AS n
    FROM reach r
    JOIN allocations a ON a.id = r.alloc_id
    JOIN plan_items i ON i.id = r.item_id AND i.fiscal_year = a.fiscal_year
    JOIN plans p ON p.id = i.plan_id
    WHERE NOT r.in_cycle
    WINDOW g AS (PARTITION BY r.alloc_id, p.level)
),
floored AS (
    SELECT alloc_id, item_id, level, fiscal_year, pot,
           CASE WHEN weight_total > 0 THEN div(pot * weight, weight_total) ELSE div(pot, n) END AS base,
           CASE WHEN weight_total > 0 THEN mod(pot * weight, weight_total) / weight_total
                ELSE mod(pot, n) / n END AS remainder
    FROM attributed
),
ranked AS (
    SELECT item_id, fiscal_year, base,
           pot - sum(base) OVER g AS left_over,
           row_number() OVER (PARTITION BY alloc_id, level ORDER BY remainder DESC, item_id) AS rn
    FROM floored
    WINDOW g AS (PARTITION BY alloc_id, level)
)
SELECT item_id, min(fiscal_year),
       sum(base + CASE WHEN rn <= left_over THEN 1 ELSE 0 END) / 100,
       count(*)
FROM ranked
GROUP BY item_id;

-- 2. Demand by sector, rolled up to every ancestor (scope 'total') and kept per area ('own');
--    summed in whole satang (bigint: exact, and much faster than numeric), inserted in key order.
--    Rolled up one level at a time (an area's code has its level's length, 8 to 2 digits, TH or
--    C and 2 digits: area_code_matches_level), each level grouping the totals of the one below,
--    not every item area again per ancestor (area_ancestors): 7.5 s to 5.5 s on a 1M-item first
--    load, the same rows.
DELETE FROM agg_demand_sector;

INSERT INTO agg_demand_sector (area_code, fiscal_year, plan_level, scope, sector, items, requested,
                               beyond_capacity, escalated, funded_items, funded, linked_requested)
WITH per_area AS MATERIALIZED (
    SELECT i.area_code, i.fiscal_year, p.level AS plan_level, coalesce(i.sector, '') AS sector,
           count(*) AS items, sum((i.requested_amount * 100)::bigint) AS requested,
           count(*) FILTER (WHERE i.beyond_capacity) AS beyond_capacity,
           count(*) FILTER (WHERE i.escalated_to_id IS NOT NULL) AS escalated,
           count(f.item_id) AS funded_items, coalesce(sum((f.funded * 100)::bigint), 0) AS funded,
           coalesce(sum((i.requested_amount * 100)::bigint) FILTER (WHERE f.item_id IS NOT NULL), 0)
               AS linked_requested
    FROM plan_items i
    JOIN plans p ON p.id = i.plan_id
    LEFT JOIN item_funding f ON f.item_id = i.id
    GROUP BY 1, 2, 3, 4
), tambon AS MATERIALIZED (
    SELECT left(area_code, 6) AS area_code, fiscal_year, plan_level, sector, sum(items) AS items,
           sum(requested) AS requested, sum(beyond_capacity) AS beyond_capacity, sum(escalated) AS escalated,
           sum(funded_items) AS funded_items, sum(funded) AS funded, sum(linked_requested) AS linked_requested
    FROM per_area WHERE length(area_code) IN (6, 8)
    GROUP BY 1, 2, 3, 4
), district AS MATERIALIZED (
    SELECT left(area_code, 4) AS area_code, fiscal_year, plan_level, sector, sum(items) AS items,
           sum(requested) AS requested, sum(beyond_capacity) AS beyond_capacity, sum(escalated) AS escalated,
           sum(funded_items) AS funded_items, sum(funded) AS funded, sum(linked_requested) AS linked_requested
    FROM (SELECT * FROM tambon UNION ALL SELECT * FROM per_area WHERE length(area_code) = 4) x
    GROUP BY 1, 2, 3, 4
), province AS MATERIALIZED (
    SELECT left(area_code, 2) AS area_code, fiscal_year, plan_level, sector, sum(items) AS items,
           sum(requested) AS requested, sum(beyond_capacity) AS beyond_capacity, sum(escalated) AS escalated,
           sum(funded_items) AS funded_items, sum(funded) AS funded, sum(linked_requested) AS linked_requested
    FROM (SELECT * FROM district UNION ALL SELECT * FROM per_area WHERE length(area_code) = 2 AND area_code <> 'TH') x
    GROUP BY 1, 2, 3, 4
), country AS (
    SELECT 'TH' AS area_code, fiscal_year, plan_level, sector, sum(items) AS items,
           sum(requested) AS requested, sum(beyond_capacity) AS beyond_capacity, sum(escalated) AS escalated,
           sum(funded_items) AS funded_items, sum(funded) AS funded, sum(linked_requested) AS linked_requested
    FROM (SELECT * FROM province
          UNION ALL SELECT * FROM per_area WHERE area_code = 'TH' OR length(area_code) = 3) x
    GROUP BY 2, 3, 4
)
SELECT area_code, fiscal_year, plan_level, scope, sector, items, requested / 100, beyond_capacity,
       escalated, funded_items, funded / 100, linked_requested / 100
FROM (
    SELECT *, 'total' AS scope FROM per_area WHERE length(area_code) IN (3, 8)
    UNION ALL SELECT *, 'total' FROM tambon
    UNION ALL SELECT *, 'total' FROM district
    UNION ALL SELECT *, 'total' FROM province
    UNION ALL SELECT *, 'total' FROM country
    UNION ALL SELECT *, 'own' FROM per_area
) r
ORDER BY 1, 2, 3, 4, 5;

-- Provincial clusters: their member provinces of that fiscal year, added to what is tagged to
-- the cluster itself.
INSERT INTO agg_demand_sector AS t (area_code, fiscal_year, plan_level, scope, sector, items,
                                    requested, beyond_capacity, escalated, funded_items, funded,
                                    linked_requested)
SELECT cp.cluster_code, d.fiscal_year, d.plan_level, 'total', d.sector,
       sum(d.items), sum(d.requested), sum(d.beyond_capacity), sum(d.escalated),
       sum(d.funded_items), sum(d.funded), sum(d.linked_requested)
FROM agg_demand_sector d
JOIN cluster_provinces cp
  ON cp.province_code = d.area_code AND d.fiscal_year >= cp.valid_from_fy
 AND (cp.valid_to_fy IS NULL OR d.fiscal_year <= cp.valid_to_fy)
WHERE d.scope = 'total'
GROUP BY 1, 2, 3, 5
ON CONFLICT (area_code, fiscal_year, plan_level, scope, sector) DO UPDATE SET
    items = t.items + EXCLUDED.items,
    requested = t.requested + EXCLUDED.requested,
    beyond_capacity = t.beyond_capacity + EXCLUDED.beyond_capacity,
    escalated = t.escalated + EXCLUDED.escalated,
    funded_items = t.funded_items + EXCLUDED.funded_items,
    funded = t.funded + EXCLUDED.funded,
    linked_requested = t.linked_requested + EXCLUDED.linked_requested;

-- 3. Demand over all sectors (what the map reads without a sector filter).
DELETE FROM agg_demand;

INSERT INTO agg_demand (area_code, fiscal_year, plan_level, scope, items, requested,
                        beyond_capacity, escalated, funded_items, funded, linked_requested)
SELECT area_code, fiscal_year, plan_level, scope, sum(items), sum(requested), sum(beyond_capacity),
       sum(escalated), sum(funded_items), sum(funded), sum(linked_requested)
FROM agg_demand_sector
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- 4. Supply by funding source and status (the 0003 table).
DELETE FROM agg_supply;

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

-- 5. Supply by everything the dashboard filters on, the plan level of the linked item, and
--    whether it is a multi-year obligation's instalment (shown apart from new funding).
DELETE FROM agg_supply_detail;

INSERT INTO agg_supply_detail (area_code, fiscal_year, funding_source, agency_id, status, sector,
                               linked_level, multi_year, scope, items, amount)
WITH per_area AS (
    SELECT a.area_code, a.fiscal_year, a.funding_source, coalesce(a.agency_id, 0) AS agency_id,
           a.status, coalesce(a.sector, '') AS sector, coalesce(p.level, '') AS linked_level,
           a.multi_year, count(*) AS items, sum(a.amount) AS amount
    FROM allocations a
    LEFT JOIN plan_items i ON i.id = a.plan_item_id
    LEFT JOIN plans p ON p.id = i.plan_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
SELECT anc.ancestor_code, pa.fiscal_year, pa.funding_source, pa.agency_id, pa.status, pa.sector,
       pa.linked_level, pa.multi_year, s.scope, sum(pa.items), sum(pa.amount)
FROM per_area pa
JOIN area_ancestors anc ON anc.area_code = pa.area_code
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE s.scope = 'total' OR anc.is_self
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

INSERT INTO agg_supply_detail AS t (area_code, fiscal_year, funding_source, agency_id, status,
                                    sector, linked_level, multi_year, scope, items, amount)
SELECT cp.cluster_code, d.fiscal_year, d.funding_source, d.agency_id, d.status, d.sector,
       d.linked_level, d.multi_year, 'total', sum(d.items), sum(d.amount)
FROM agg_supply_detail d
JOIN cluster_provinces cp
  ON cp.province_code = d.area_code AND d.fiscal_year >= cp.valid_from_fy
 AND (cp.valid_to_fy IS NULL OR d.fiscal_year <= cp.valid_to_fy)
WHERE d.scope = 'total'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT (area_code, fiscal_year, funding_source, agency_id, status, sector, linked_level,
             multi_year, scope)
DO UPDATE SET items = t.items + EXCLUDED.items, amount = t.amount + EXCLUDED.amount;

-- 6. The escalation funnel: for each root village need, how far up its chain went (and whether
--    an agency requested or funded it that year), counted per village area, then rolled up.
--    Only the needs that were escalated are walked (most never are): the others reached step 1,
--    step 2 if beyond their capacity, and steps 7-8 by their own allocations.
DELETE FROM agg_funnel;

INSERT INTO agg_funnel (area_code, fiscal_year, step, items, amount)
WITH RECURSIVE up (root, id, fiscal_year, depth) AS (
    SELECT i.id, i.escalated_to_id, i.fiscal_year, 1
    FROM plan_items i JOIN plans p ON p.id = i.plan_id
    WHERE p.level = 'village' AND i.escalated_to_id IS NOT NULL
    UNION ALL
    SELECT u.root, e.escalated_to_id, u.fiscal_year, u.depth + 1
    FROM up u JOIN plan_items e ON e.id = u.id
    WHERE e.escalated_to_id IS NOT NULL AND u.depth < 12
), above AS (
    SELECT u.root,
           bool_or(pe.level = 'village' AND e.beyond_capacity) AS beyond,
           bool_or(pe.level IN ('tambon', 'local')) AS local_plan,
           bool_or(pe.level = 'district') AS district,
           bool_or(pe.level = 'province') AS province,
           bool_or(pe.level = 'province' AND e.beyond_capacity) AS sent,
           bool_or(a.funding_source = 'agency' AND a.status IN ('requested', 'funded')) AS requested,
           bool_or(a.funding_source = 'agency' AND a.status = 'funded') AS funded
    FROM up u
    JOIN plan_items e ON e.id = u.id
    JOIN plans pe ON pe.id = e.plan_id
    LEFT JOIN allocations a ON a.plan_item_id = u.id AND a.fiscal_year = u.fiscal_year
    GROUP BY u.root
), own AS (
    SELECT a.plan_item_id AS root,
           bool_or(a.funding_source = 'agency' AND a.status IN ('requested', 'funded')) AS requested,
           bool_or(a.funding_source = 'agency' AND a.status = 'funded') AS funded
    FROM allocations a JOIN plan_items i ON i.id = a.plan_item_id AND i.fiscal_year = a.fiscal_year
    GROUP BY 1
), per_need AS (
    SELECT i.area_code, i.fiscal_year, i.requested_amount AS amount,
           i.beyond_capacity OR coalesce(u.beyond, false) AS beyond,
           coalesce(u.local_plan, false) AS local_plan,
           coalesce(u.district, false) AS district,
           coalesce(u.province, false) AS province,
           coalesce(u.sent, false) AS sent,
           coalesce(o.requested, false) OR coalesce(u.requested, false) AS requested,
           coalesce(o.funded, false) OR coalesce(u.funded, false) AS funded
    FROM plan_items i
    JOIN plans p ON p.id = i.plan_id AND p.level = 'village'
    LEFT JOIN above u ON u.root = i.id
    LEFT JOIN own o ON o.root = i.id
), per_area AS MATERIALIZED (
    SELECT n.area_code, n.fiscal_year, s.step, s.items, s.amount
    FROM (
        SELECT area_code, fiscal_year,
               count(*) AS n1, sum(amount) AS a1,
               count(*) FILTER (WHERE beyond) AS n2, sum(amount) FILTER (WHERE beyond) AS a2,
               count(*) FILTER (WHERE local_plan) AS n3, sum(amount) FILTER (WHERE local_plan) AS a3,
               count(*) FILTER (WHERE district) AS n4, sum(amount) FILTER (WHERE district) AS a4,
               count(*) FILTER (WHERE province) AS n5, sum(amount) FILTER (WHERE province) AS a5,
               count(*) FILTER (WHERE sent) AS n6, sum(amount) FILTER (WHERE sent) AS a6,
               count(*) FILTER (WHERE requested) AS n7, sum(amount) FILTER (WHERE requested) AS a7,
               count(*) FILTER (WHERE funded) AS n8, sum(amount) FILTER (WHERE funded) AS a8
        FROM per_need GROUP BY 1, 2
    ) n
    CROSS JOIN LATERAL (VALUES
        (1, n.n1, n.a1), (2, n.n2, n.a2), (3, n.n3, n.a3), (4, n.n4, n.a4), (5, n.n5, n.a5),
        (6, n.n6, n.a6), (7, n.n7, n.a7), (8, n.n8, n.a8)) AS s(step, items, amount)
    WHERE s.items > 0
), tambon AS MATERIALIZED (  -- rolled up one level at a time, as the demand above
    SELECT left(area_code, 6) AS area_code, fiscal_year, step, sum(items) AS items, sum(amount) AS amount
    FROM per_area WHERE length(area_code) IN (6, 8)
    GROUP BY 1, 2, 3
), district AS MATERIALIZED (
    SELECT left(area_code, 4) AS area_code, fiscal_year, step, sum(items) AS items, sum(amount) AS amount
    FROM (SELECT * FROM tambon UNION ALL SELECT * FROM per_area WHERE length(area_code) = 4) x
    GROUP BY 1, 2, 3
), province AS MATERIALIZED (
    SELECT left(area_code, 2) AS area_code, fiscal_year, step, sum(items) AS items, sum(amount) AS amount
    FROM (SELECT * FROM district UNION ALL SELECT * FROM per_area WHERE length(area_code) = 2 AND area_code <> 'TH') x
    GROUP BY 1, 2, 3
)
SELECT * FROM per_area WHERE length(area_code) IN (3, 8)
UNION ALL SELECT * FROM tambon
UNION ALL SELECT * FROM district
UNION ALL SELECT * FROM province
UNION ALL
SELECT 'TH', fiscal_year, step, sum(items), sum(amount)
FROM (SELECT * FROM province UNION ALL SELECT * FROM per_area WHERE area_code = 'TH' OR length(area_code) = 3) x
GROUP BY 2, 3;

SELECT set_config('enable_hashagg', current_setting('planmap.enable_hashagg'), true),
       set_config('enable_memoize', current_setting('planmap.enable_memoize'), true);
