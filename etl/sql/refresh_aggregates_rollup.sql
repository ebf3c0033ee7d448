-- Incremental refresh, part 2: the aggregate rows of the areas found by part 1
-- (refresh_aggregates_scope.sql: rf_anc, rf_prov, rf_cluster, rf_top) in their fiscal years,
-- deleted and computed again with the formulas of refresh_aggregates.sql:
--   * an ancestor below the country lies in a province of rf_prov: its rows are computed from
--     all that province's rows of the year (so they are whole);
--   * a cluster of rf_cluster: what is tagged to it, plus (demand by sector, detailed supply)
--     its member provinces' totals that year;
--   * the country: what is tagged to it, plus every province's total and every cluster's own
--     rows (as area_ancestors counts them), read once those have been written.
-- Sums are exact (whole satang or numeric), so the country's rows are the full refresh's rows
-- to the satang.

-- 1. Demand by sector.
DELETE FROM agg_demand_sector d
USING (SELECT area_code, fiscal_year FROM rf_anc WHERE kind = 'demand'
       UNION SELECT area_code, fiscal_year FROM rf_cluster WHERE kind = 'demand') t
WHERE d.area_code = t.area_code AND d.fiscal_year = t.fiscal_year;

INSERT INTO agg_demand_sector (area_code, fiscal_year, plan_level, scope, sector, items, requested,
                               beyond_capacity, escalated, funded_items, funded, linked_requested)
WITH per_area AS (
    SELECT i.area_code, i.fiscal_year, p.level AS plan_level, coalesce(i.sector, '') AS sector,
           count(*) AS items, sum((i.requested_amount * 100)::bigint) AS requested,
           count(*) FILTER (WHERE i.beyond_capacity) AS beyond_capacity,
           count(*) FILTER (WHERE i.escalated_to_id IS NOT NULL) AS escalated,
           count(f.item_id) AS funded_items, coalesce(sum((f.funded * 100)::bigint), 0) AS funded,
           coalesce(sum((i.requested_amount * 100)::bigint) FILTER (WHERE f.item_id IS NOT NULL), 0)
               AS linked_requested
    FROM rf_prov pr
    JOIN plan_items i ON i.area_code ~>=~ pr.area_code AND i.area_code ~<~ pr.area_end
                     AND i.fiscal_year = pr.fiscal_year
    JOIN plans p ON p.id = i.plan_id
    LEFT JOIN item_funding f ON f.item_id = i.id
    WHERE pr.kind = 'demand'
    GROUP BY 1, 2, 3, 4
)
SELECT t.area_code, pa.fiscal_year, pa.plan_level, s.scope, pa.sector,
       sum(pa.items), sum(pa.requested) / 100, sum(pa.beyond_capacity), sum(pa.escalated),
       sum(pa.funded_items), sum(pa.funded) / 100, sum(pa.linked_requested) / 100
FROM per_area pa
CROSS JOIN (VALUES (2), (4), (6), (8)) AS anc(len)
JOIN rf_anc t ON t.kind = 'demand' AND t.area_code = left(pa.area_code, anc.len) AND t.fiscal_year = pa.fiscal_year
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE anc.len <= length(pa.area_code) AND (s.scope = 'total' OR anc.len = length(pa.area_code))
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO agg_demand_sector (area_code, fiscal_year, plan_level, scope, sector, items, requested,
                               beyond_capacity, escalated, funded_items, funded, linked_requested)
WITH own AS (
    SELECT c.area_code, i.fiscal_year, p.level AS plan_level, coalesce(i.sector, '') AS sector,
           count(*) AS items, sum((i.requested_amount * 100)::bigint) / 100 AS requested,
           count(*) FILTER (WHERE i.beyond_capacity) AS beyond_capacity,
           count(*) FILTER (WHERE i.escalated_to_id IS NOT NULL) AS escalated,
           count(f.item_id) AS funded_items, coalesce(sum((f.funded * 100)::bigint), 0) / 100 AS funded,
           coalesce(sum((i.requested_amount * 100)::bigint) FILTER (WHERE f.item_id IS NOT NULL), 0) / 100
               AS linked_requested
    FROM rf_cluster c
    JOIN plan_items i ON i.area_code = c.area_code AND i.fiscal_year = c.fiscal_year
    JOIN plans p ON p.id = i.plan_id
    LEFT JOIN item_funding f ON f.item_id = i.id
    WHERE c.kind = 'demand'
    GROUP BY 1, 2, 3, 4
), parts AS (
    SELECT o.area_code, o.fiscal_year, o.plan_level, s.scope, o.sector, o.items, o.requested,
           o.beyond_capacity, o.escalated, o.funded_items, o.funded, o.linked_requested
    FROM own o CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
  UNION ALL
    SELECT c.area_code, d.fiscal_year, d.plan_level, 'total', d.sector, d.items, d.requested,
           d.beyond_capacity, d.escalated, d.funded_items, d.funded, d.linked_requested
    FROM rf_cluster c
    JOIN cluster_provinces cp
      ON cp.cluster_code = c.area_code AND c.fiscal_year >= cp.valid_from_fy
     AND (cp.valid_to_fy IS NULL OR c.fiscal_year <= cp.valid_to_fy)
    JOIN agg_demand_sector d ON d.area_code = cp.province_code AND d.fiscal_year = c.fiscal_year
    WHERE c.kind = 'demand' AND d.scope = 'total'
)
SELECT area_code, fiscal_year, plan_level, scope, sector, sum(items), sum(requested), sum(beyond_capacity),
       sum(escalated), sum(funded_items), sum(funded), sum(linked_requested)
FROM parts
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO agg_demand_sector (area_code, fiscal_year, plan_level, scope, sector, items, requested,
                               beyond_capacity, escalated, funded_items, funded, linked_requested)
WITH years AS (
    SELECT fiscal_year FROM rf_anc WHERE kind = 'demand' AND area_code = 'TH'
), own AS (
    SELECT i.fiscal_year, p.level AS plan_level, coalesce(i.sector, '') AS sector,
           count(*) AS items, sum((i.requested_amount * 100)::bigint) / 100 AS requested,
           count(*) FILTER (WHERE i.beyond_capacity) AS beyond_capacity,
           count(*) FILTER (WHERE i.escalated_to_id IS NOT NULL) AS escalated,
           count(f.item_id) AS funded_items, coalesce(sum((f.funded * 100)::bigint), 0) / 100 AS funded,
           coalesce(sum((i.requested_amount * 100)::bigint) FILTER (WHERE f.item_id IS NOT NULL), 0) / 100
               AS linked_requested
    FROM plan_items i
    JOIN plans p ON p.id = i.plan_id
    LEFT JOIN item_funding f ON f.item_id = i.id
    WHERE i.area_code = 'TH' AND i.fiscal_year IN (SELECT fiscal_year FROM years)
    GROUP BY 1, 2, 3
), parts AS (
    SELECT o.fiscal_year, o.plan_level, s.scope, o.sector, o.items, o.requested, o.beyond_capacity,
           o.escalated, o.funded_items, o.funded, o.linked_requested
    FROM own o CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
  UNION ALL
    SELECT d.fiscal_year, d.plan_level, 'total', d.sector, d.items, d.requested, d.beyond_capacity,
           d.escalated, d.funded_items, d.funded, d.linked_requested
    FROM rf_top c
    JOIN agg_demand_sector d ON d.area_code = c.area_code AND d.scope = c.scope
    WHERE d.fiscal_year IN (SELECT fiscal_year FROM years)
)
SELECT 'TH', fiscal_year, plan_level, scope, sector, sum(items), sum(requested), sum(beyond_capacity),
       sum(escalated), sum(funded_items), sum(funded), sum(linked_requested)
FROM parts
GROUP BY 2, 3, 4, 5;

-- 2. Demand over all sectors.
DELETE FROM agg_demand d
USING (SELECT area_code, fiscal_year FROM rf_anc WHERE kind = 'demand'
       UNION SELECT area_code, fiscal_year FROM rf_cluster WHERE kind = 'demand') t
WHERE d.area_code = t.area_code AND d.fiscal_year = t.fiscal_year;

INSERT INTO agg_demand (area_code, fiscal_year, plan_level, scope, items, requested,
                        beyond_capacity, escalated, funded_items, funded, linked_requested)
SELECT d.area_code, d.fiscal_year, d.plan_level, d.scope, sum(d.items), sum(d.requested),
       sum(d.beyond_capacity), sum(d.escalated), sum(d.funded_items), sum(d.funded), sum(d.linked_requested)
FROM (SELECT area_code, fiscal_year FROM rf_anc WHERE kind = 'demand'
      UNION SELECT area_code, fiscal_year FROM rf_cluster WHERE kind = 'demand') t
JOIN agg_demand_sector d ON d.area_code = t.area_code AND d.fiscal_year = t.fiscal_year
GROUP BY 1, 2, 3, 4;

-- 3. Supply by funding source and status (a cluster's rows: only what is tagged to it).
DELETE FROM agg_supply d
USING (SELECT area_code, fiscal_year FROM rf_anc WHERE kind = 'supply'
       UNION SELECT area_code, fiscal_year FROM rf_cluster WHERE kind = 'supply') t
WHERE d.area_code = t.area_code AND d.fiscal_year = t.fiscal_year;

INSERT INTO agg_supply (area_code, fiscal_year, funding_source, status, scope, items, amount, linked)
WITH per_area AS (
    SELECT a.area_code, a.fiscal_year, a.funding_source, a.status,
           count(*) AS items, sum(a.amount) AS amount,
           count(*) FILTER (WHERE a.plan_item_id IS NOT NULL) AS linked
    FROM rf_prov pr
    JOIN allocations a ON a.area_code ~>=~ pr.area_code AND a.area_code ~<~ pr.area_end
                      AND a.fiscal_year = pr.fiscal_year
    WHERE pr.kind = 'supply'
    GROUP BY 1, 2, 3, 4
)
SELECT t.area_code, pa.fiscal_year, pa.funding_source, pa.status, s.scope,
       sum(pa.items), sum(pa.amount), sum(pa.linked)
FROM per_area pa
CROSS JOIN (VALUES (2), (4), (6), (8)) AS anc(len)
JOIN rf_anc t ON t.kind = 'supply' AND t.area_code = left(pa.area_code, anc.len) AND t.fiscal_year = pa.fiscal_year
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE anc.len <= length(pa.area_code) AND (s.scope = 'total' OR anc.len = length(pa.area_code))
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO agg_supply (area_code, fiscal_year, funding_source, status, scope, items, amount, linked)
SELECT c.area_code, a.fiscal_year, a.funding_source, a.status, s.scope,
       count(*), sum(a.amount), count(*) FILTER (WHERE a.plan_item_id IS NOT NULL)
FROM rf_cluster c
JOIN allocations a ON a.area_code = c.area_code AND a.fiscal_year = c.fiscal_year
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE c.kind = 'supply'
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO agg_supply (area_code, fiscal_year, funding_source, status, scope, items, amount, linked)
WITH years AS (
    SELECT fiscal_year FROM rf_anc WHERE kind = 'supply' AND area_code = 'TH'
), parts AS (
    SELECT a.fiscal_year, a.funding_source, a.status, s.scope, 1 AS items, a.amount,
           (a.plan_item_id IS NOT NULL)::integer AS linked
    FROM allocations a CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
    WHERE a.area_code = 'TH' AND a.fiscal_year IN (SELECT fiscal_year FROM years)
  UNION ALL
    SELECT d.fiscal_year, d.funding_source, d.status, 'total', d.items, d.amount, d.linked
    FROM rf_top c
    JOIN agg_supply d ON d.area_code = c.area_code AND d.scope = c.scope
    WHERE d.fiscal_year IN (SELECT fiscal_year FROM years)
)
SELECT 'TH', fiscal_year, funding_source, status, scope, sum(items), sum(amount), sum(linked)
FROM parts
GROUP BY 2, 3, 4, 5;

-- 4. Supply by everything the dashboard filters on.
DELETE FROM agg_supply_detail d
USING (SELECT area_code, fiscal_year FROM rf_anc WHERE kind = 'supply'
       UNION SELECT area_code, fiscal_year FROM rf_cluster WHERE kind = 'supply') t
WHERE d.area_code = t.area_code AND d.fiscal_year = t.fiscal_year;

INSERT INTO agg_supply_detail (area_code, fiscal_year, funding_source, agency_id, status, sector,
                               linked_level, multi_year, scope, items, amount)
WITH per_area AS (
    SELECT a.area_code, a.fiscal_year, a.funding_source, coalesce(a.agency_id, 0) AS agency_id,
           a.status, coalesce(a.sector, '') AS sector, coalesce(p.level, '') AS linked_level,
           a.multi_year, count(*) AS items, sum(a.amount) AS amount
    FROM rf_prov pr
    JOIN allocations a ON a.area_code ~>=~ pr.area_code AND a.area_code ~<~ pr.area_end
                      AND a.fiscal_year = pr.fiscal_year
    LEFT JOIN plan_items i ON i.id = a.plan_item_id
    LEFT JOIN plans p ON p.id = i.plan_id
    WHERE pr.kind = 'supply'
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
SELECT t.area_code, pa.fiscal_year, pa.funding_source, pa.agency_id, pa.status, pa.sector,
       pa.linked_level, pa.multi_year, s.scope, sum(pa.items), sum(pa.amount)
FROM per_area pa
CROSS JOIN (VALUES (2), (4), (6), (8)) AS anc(len)
JOIN rf_anc t ON t.kind = 'supply' AND t.area_code = left(pa.area_code, anc.len) AND t.fiscal_year = pa.fiscal_year
CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
WHERE anc.len <= length(pa.area_code) AND (s.scope = 'total' OR anc.len = length(pa.area_code))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

INSERT INTO agg_supply_detail (area_code, fiscal_year, funding_source, agency_id, status, sector,
                               linked_level, multi_year, scope, items, amount)
WITH parts AS (
    SELECT c.area_code, a.fiscal_year, a.funding_source, coalesce(a.agency_id, 0) AS agency_id, a.status,
           coalesce(a.sector, '') AS sector, coalesce(p.level, '') AS linked_level, a.multi_year,
           s.scope, 1 AS items, a.amount
    FROM rf_cluster c
    JOIN allocations a ON a.area_code = c.area_code AND a.fiscal_year = c.fiscal_year
    LEFT JOIN plan_items i ON i.id = a.plan_item_id
    LEFT JOIN plans p ON p.id = i.plan_id
    CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
    WHERE c.kind = 'supply'
  UNION ALL
    SELECT c.area_code, d.fiscal_year, d.funding_source, d.agency_id, d.status, d.sector, d.linked_level,
           d.multi_year, 'total', d.items, d.amount
    FROM rf_cluster c
    JOIN cluster_provinces cp
      ON cp.cluster_code = c.area_code AND c.fiscal_year >= cp.valid_from_fy
     AND (cp.valid_to_fy IS NULL OR c.fiscal_year <= cp.valid_to_fy)
    JOIN agg_supply_detail d ON d.area_code = cp.province_code AND d.fiscal_year = c.fiscal_year
    WHERE c.kind = 'supply' AND d.scope = 'total'
)
SELECT area_code, fiscal_year, funding_source, agency_id, status, sector, linked_level, multi_year, scope,
       sum(items), sum(amount)
FROM parts
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

INSERT INTO agg_supply_detail (area_code, fiscal_year, funding_source, agency_id, status, sector,
                               linked_level, multi_year, scope, items, amount)
WITH years AS (
    SELECT fiscal_year FROM rf_anc WHERE kind = 'supply' AND area_code = 'TH'
), parts AS (
    SELECT a.fiscal_year, a.funding_source, coalesce(a.agency_id, 0) AS agency_id, a.status,
           coalesce(a.sector, '') AS sector, coalesce(p.level, '') AS linked_level, a.multi_year,
           s.scope, 1 AS items, a.amount
    FROM allocations a
    LEFT JOIN plan_items i ON i.id = a.plan_item_id
    LEFT JOIN plans p ON p.id = i.plan_id
    CROSS JOIN (VALUES ('total'), ('own')) AS s(scope)
    WHERE a.area_code = 'TH' AND a.fiscal_year IN (SELECT fiscal_year FROM years)
  UNION ALL
    SELECT d.fiscal_year, d.funding_source, d.agency_id, d.status, d.sector, d.linked_level, d.multi_year,
           'total', d.items, d.amount
    FROM rf_top c
    JOIN agg_supply_detail d ON d.area_code = c.area_code AND d.scope = c.scope
    WHERE d.fiscal_year IN (SELECT fiscal_year FROM years)
)
SELECT 'TH', fiscal_year, funding_source, agency_id, status, sector, linked_level, multi_year, scope,
       sum(items), sum(amount)
FROM parts
GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;

-- 5. The escalation funnel (no scopes: every area's rows count what is inside it). The root
--    village needs of the provinces read again, of the clusters and of the country, walked up,
--    summed per area of the root.
DELETE FROM agg_funnel d
USING (SELECT area_code, fiscal_year FROM rf_anc WHERE kind = 'funnel'
       UNION SELECT area_code, fiscal_year FROM rf_cluster WHERE kind = 'funnel') t
WHERE d.area_code = t.area_code AND d.fiscal_year = t.fiscal_year;

DROP TABLE IF EXISTS rf_funnel;
CREATE TEMP TABLE rf_funnel ON COMMIT DROP AS
WITH RECURSIVE roots AS (
    SELECT i.id, i.beyond_capacity, i.requested_amount, i.area_code, i.fiscal_year, i.plan_id
    FROM rf_prov pr
    JOIN plan_items i ON i.area_code ~>=~ pr.area_code AND i.area_code ~<~ pr.area_end
                     AND i.fiscal_year = pr.fiscal_year
    WHERE pr.kind = 'funnel'
  UNION ALL
    SELECT i.id, i.beyond_capacity, i.requested_amount, i.area_code, i.fiscal_year, i.plan_id
    FROM rf_cluster c
    JOIN plan_items i ON i.area_code = c.area_code AND i.fiscal_year = c.fiscal_year
    WHERE c.kind = 'funnel'
  UNION ALL
    SELECT i.id, i.beyond_capacity, i.requested_amount, i.area_code, i.fiscal_year, i.plan_id
    FROM rf_anc t
    JOIN plan_items i ON i.area_code = 'TH' AND i.fiscal_year = t.fiscal_year
    WHERE t.kind = 'funnel' AND t.area_code = 'TH'
), walk AS (
    SELECT r.id AS root, r.id, p.level, r.beyond_capacity, r.requested_amount AS amount,
           r.area_code, r.fiscal_year, 0 AS depth
    FROM roots r
    JOIN plans p ON p.id = r.plan_id
    WHERE p.level = 'village'
    UNION ALL
    SELECT w.root, e.id, pe.level, e.beyond_capacity, w.amount, w.area_code, w.fiscal_year, w.depth + 1
    FROM walk w
    JOIN plan_items cur ON cur.id = w.id
    JOIN plan_items e ON e.id = cur.escalated_to_id
    JOIN plans pe ON pe.id = e.plan_id
    WHERE w.depth < 12
), per_need AS (
    SELECT w.root, min(w.area_code) AS area_code, min(w.fiscal_year) AS fiscal_year, max(w.amount) AS amount,
           bool_or(w.level = 'village' AND w.beyond_capacity) AS beyond,
           bool_or(w.level IN ('tambon', 'local')) AS local_plan,
           bool_or(w.level = 'district') AS district,
           bool_or(w.level = 'province') AS province,
           bool_or(w.level = 'province' AND w.beyond_capacity) AS sent,
           bool_or(a.funding_source = 'agency' AND a.status IN ('requested', 'funded')) AS requested,
           bool_or(a.funding_source = 'agency' AND a.status = 'funded') AS funded
    FROM walk w
    LEFT JOIN allocations a ON a.plan_item_id = w.id AND a.fiscal_year = w.fiscal_year
    GROUP BY w.root
)
SELECT n.area_code, n.fiscal_year, s.step, count(*) AS items, sum(n.amount) AS amount
FROM per_need n
CROSS JOIN LATERAL (VALUES
    (1, true), (2, n.beyond), (3, n.local_plan), (4, n.district), (5, n.province), (6, n.sent),
    (7, n.requested), (8, n.funded)) AS s(step, reached)
WHERE s.reached
GROUP BY 1, 2, 3;

INSERT INTO agg_funnel (area_code, fiscal_year, step, items, amount)
SELECT t.area_code, pa.fiscal_year, pa.step, sum(pa.items), sum(pa.amount)
FROM rf_funnel pa
CROSS JOIN (VALUES (2), (4), (6), (8)) AS anc(len)
JOIN rf_prov pr ON pr.kind = 'funnel' AND pr.area_code = left(pa.area_code, 2) AND pr.fiscal_year = pa.fiscal_year
JOIN rf_anc t ON t.kind = 'funnel' AND t.area_code = left(pa.area_code, anc.len) AND t.fiscal_year = pa.fiscal_year
WHERE anc.len <= length(pa.area_code)
GROUP BY 1, 2, 3
UNION ALL
SELECT pa.area_code, pa.fiscal_year, pa.step, pa.items, pa.amount
FROM rf_funnel pa
JOIN rf_cluster c ON c.kind = 'funnel' AND c.area_code = pa.area_code AND c.fiscal_year = pa.fiscal_year;

INSERT INTO agg_funnel (area_code, fiscal_year, step, items, amount)
WITH years AS (
    SELECT fiscal_year FROM rf_anc WHERE kind = 'funnel' AND area_code = 'TH'
), parts AS (
    SELECT fiscal_year, step, items, amount FROM rf_funnel WHERE area_code = 'TH'
  UNION ALL
    SELECT d.fiscal_year, d.step, d.items, d.amount
    FROM rf_top c
    JOIN agg_funnel d ON d.area_code = c.area_code
    WHERE d.fiscal_year IN (SELECT fiscal_year FROM years)
)
SELECT 'TH', fiscal_year, step, sum(items), sum(amount)
FROM parts
GROUP BY 1, 2, 3;

-- The planner's settings as they were before part 1.
SELECT set_config('enable_hashjoin', current_setting('planmap.refresh_hashjoin'), true),
       set_config('enable_mergejoin', current_setting('planmap.refresh_mergejoin'), true),
       set_config('jit', current_setting('planmap.refresh_jit'), true)
