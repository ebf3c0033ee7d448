-- Incremental refresh, part 1 (etl.db.refresh_aggregates with a Touched): what must be rebuilt,
-- and the funding of the items whose funding may have changed. %(areas)s and %(years)s are the
-- touched areas and fiscal years: every plan item and allocation inserted, changed or deleted
-- has its area in %(areas)s and its fiscal year in %(years)s, before and after the change; so
-- has, for a deleted row, every row linked to it, and for a row whose link changed, the row it
-- was linked to before (see Touched). Part 2 (refresh_aggregates_rollup.sql) rebuilds the
-- aggregate rows of the leaves found here and of their ancestors. Temporary tables rf_*.

-- Enough memory to sort a province's rows; not more: a hash table is sized from the planner's
-- guess up to work_mem, and the guesses for the recursive walks below are millions of rows.
SET LOCAL work_mem = '32MB';

-- Every statement here and in part 2 starts from a few thousand rows (the touched items, their
-- areas) and reaches the big tables through their indexes; the planner, which guesses a
-- recursive step ten times its start, would rather hash the whole of plan_items at every step
-- of a walk, or read a whole aggregate table to delete a few rows. So nested loops, and no JIT
-- (the guesses make the statements look expensive: compiling would take longer than running),
-- until the end of part 2 puts the settings back as they were.
SELECT set_config('planmap.refresh_hashjoin', current_setting('enable_hashjoin'), true),
       set_config('planmap.refresh_mergejoin', current_setting('enable_mergejoin'), true),
       set_config('planmap.refresh_jit', current_setting('jit'), true);
SET LOCAL enable_hashjoin = off;
SET LOCAL enable_mergejoin = off;
SET LOCAL jit = off;

DROP TABLE IF EXISTS rf_areas;
CREATE TEMP TABLE rf_areas ON COMMIT DROP AS
SELECT DISTINCT code FROM unnest(%(areas)s::text[]) AS t(code);

DROP TABLE IF EXISTS rf_years;
CREATE TEMP TABLE rf_years ON COMMIT DROP AS
SELECT DISTINCT fy::smallint AS fiscal_year FROM unnest(%(years)s::int[]) AS t(fy);

ANALYZE rf_areas, rf_years;

-- S: the items of the touched areas and years.
DROP TABLE IF EXISTS rf_seed;
CREATE TEMP TABLE rf_seed ON COMMIT DROP AS
SELECT i.id
FROM rf_areas t
JOIN plan_items i ON i.area_code = t.code
WHERE i.fiscal_year IN (SELECT fiscal_year FROM rf_years);

-- D: S and every item below it (whose chain goes through S).
DROP TABLE IF EXISTS rf_down;
CREATE TEMP TABLE rf_down ON COMMIT DROP AS
WITH RECURSIVE d (id) AS (
    SELECT id FROM rf_seed
  UNION
    SELECT c.id FROM d JOIN plan_items c ON c.escalated_to_id = d.id
)
SELECT id FROM d;
ALTER TABLE rf_down ADD PRIMARY KEY (id);
ANALYZE rf_down;

-- 1. Funding. An item's funding is the sum, over the funded allocations reaching it, of its
--    share of each; a share depends on every item of its plan level the allocation reaches.
--    R: the funded allocations that reach an item of D (linked to D or above it), and the
--    funded allocations of the touched areas and years. X: D and every item R reaches. Outside
--    X nothing that funding depends on changed, so its funding stands; inside X it is computed
--    again from every funded allocation reaching X (linked to X or above: R'), each split over
--    its whole reach exactly as the full refresh does.
DROP TABLE IF EXISTS rf_x;
CREATE TEMP TABLE rf_x ON COMMIT DROP AS
WITH RECURSIVE up (id) AS (
    SELECT id FROM rf_down
  UNION
    SELECT i.escalated_to_id FROM up JOIN plan_items i ON i.id = up.id WHERE i.escalated_to_id IS NOT NULL
), r (id) AS (
    SELECT a.plan_item_id FROM up JOIN allocations a ON a.plan_item_id = up.id WHERE a.status = 'funded'
  UNION
    SELECT a.plan_item_id
    FROM rf_areas t
    JOIN allocations a ON a.area_code = t.code
    WHERE a.fiscal_year IN (SELECT fiscal_year FROM rf_years) AND a.status = 'funded'
      AND a.plan_item_id IS NOT NULL
  UNION
    SELECT c.id FROM r JOIN plan_items c ON c.escalated_to_id = r.id
)
SELECT id FROM r
UNION
SELECT id FROM rf_down;
ALTER TABLE rf_x ADD PRIMARY KEY (id);
ANALYZE rf_x;

DROP TABLE IF EXISTS rf_funding;
CREATE TEMP TABLE rf_funding ON COMMIT DROP AS
WITH RECURSIVE up (id) AS (
    SELECT id FROM rf_x
  UNION
    SELECT i.escalated_to_id FROM up JOIN plan_items i ON i.id = up.id WHERE i.escalated_to_id IS NOT NULL
), reach (alloc_id, item_id) AS (
    SELECT a.id, a.plan_item_id
    FROM up JOIN allocations a ON a.plan_item_id = up.id
    WHERE a.status = 'funded'
  UNION ALL
    SELECT r.alloc_id, c.id
    FROM reach r
    JOIN plan_items c ON c.escalated_to_id = r.item_id
) CYCLE item_id SET in_cycle USING path,
attributed AS (
    SELECT r.alloc_id, r.item_id, p.level, i.fiscal_year,
           a.amount * 100 AS pot,
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
SELECT item_id, min(fiscal_year)::smallint AS fiscal_year,
       (sum(base + CASE WHEN rn <= left_over THEN 1 ELSE 0 END) / 100)::numeric(30, 2) AS funded,
       count(*)::integer AS allocations
FROM ranked
WHERE item_id IN (SELECT id FROM rf_x)
GROUP BY item_id;

-- Out with what X had, and with the rows of items that no longer exist (deleted in the touched
-- years); kept aside to see which items' funding changed.
DROP TABLE IF EXISTS rf_funding_old;
CREATE TEMP TABLE rf_funding_old (
    item_id bigint, fiscal_year smallint, funded numeric(30, 2), allocations integer
) ON COMMIT DROP;

WITH gone AS (
    DELETE FROM item_funding f USING rf_x x WHERE f.item_id = x.id
    RETURNING f.item_id, f.fiscal_year, f.funded, f.allocations
)
INSERT INTO rf_funding_old SELECT item_id, fiscal_year, funded, allocations FROM gone;

WITH gone AS (
    DELETE FROM item_funding f
    WHERE f.fiscal_year IN (SELECT fiscal_year FROM rf_years)
      AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.id = f.item_id)
    RETURNING f.item_id, f.fiscal_year, f.funded, f.allocations
)
INSERT INTO rf_funding_old SELECT item_id, fiscal_year, funded, allocations FROM gone;

INSERT INTO item_funding (item_id, fiscal_year, funded, allocations)
SELECT item_id, fiscal_year, funded, allocations FROM rf_funding ORDER BY item_id;

-- 2. The leaves: (area, fiscal year) whose own rows may differ. Demand: the touched ones and
--    those of items whose funding changed. Supply: the touched ones and those of allocations
--    linked to S (the plan level of the linked item is a key of agg_supply_detail). Funnel: the
--    touched ones and those of the root village needs in D (a root's path goes through S).
DROP TABLE IF EXISTS rf_leaf;
CREATE TEMP TABLE rf_leaf ON COMMIT DROP AS
WITH touched AS (
    SELECT t.code AS area_code, y.fiscal_year FROM rf_areas t CROSS JOIN rf_years y
), changed AS (
    SELECT coalesce(n.item_id, o.item_id) AS item_id
    FROM rf_funding n
    FULL JOIN rf_funding_old o ON o.item_id = n.item_id
    WHERE (n.fiscal_year, n.funded, n.allocations) IS DISTINCT FROM (o.fiscal_year, o.funded, o.allocations)
)
SELECT 'demand' AS kind, area_code, fiscal_year FROM touched
UNION
SELECT 'demand', i.area_code, i.fiscal_year FROM changed c JOIN plan_items i ON i.id = c.item_id
UNION
SELECT 'supply', area_code, fiscal_year FROM touched
UNION
SELECT 'supply', a.area_code, a.fiscal_year FROM rf_seed s JOIN allocations a ON a.plan_item_id = s.id
UNION
SELECT 'funnel', area_code, fiscal_year FROM touched
UNION
SELECT 'funnel', i.area_code, i.fiscal_year
FROM rf_down d JOIN plan_items i ON i.id = d.id JOIN plans p ON p.id = i.plan_id
WHERE p.level = 'village';

-- Their ancestors (area_ancestors: 'TH' and the code's prefixes; a cluster, itself and 'TH'),
-- the provinces to read again (every ancestor but the country and the clusters lies in one),
-- and the clusters to compute again: those among the ancestors, and those whose member
-- provinces are read again (a cluster's demand and detailed supply add its members' totals).
DROP TABLE IF EXISTS rf_anc;
CREATE TEMP TABLE rf_anc ON COMMIT DROP AS
SELECT DISTINCT l.kind, x.ancestor_code AS area_code, l.fiscal_year
FROM rf_leaf l
JOIN area_ancestors x ON x.area_code = l.area_code;
ALTER TABLE rf_anc ADD PRIMARY KEY (kind, area_code, fiscal_year);
ANALYZE rf_anc;

DROP TABLE IF EXISTS rf_prov;
CREATE TEMP TABLE rf_prov ON COMMIT DROP AS
SELECT t.kind, t.area_code, t.area_code || '~' AS area_end, t.fiscal_year
FROM rf_anc t
JOIN areas a ON a.code = t.area_code
WHERE t.area_code <> 'TH' AND a.level <> 'cluster' AND length(t.area_code) = 2;
ANALYZE rf_prov;

DROP TABLE IF EXISTS rf_cluster;
CREATE TEMP TABLE rf_cluster ON COMMIT DROP AS
SELECT p.kind, cp.cluster_code AS area_code, p.fiscal_year
FROM rf_prov p
JOIN cluster_provinces cp
  ON cp.province_code = p.area_code AND p.fiscal_year >= cp.valid_from_fy
 AND (cp.valid_to_fy IS NULL OR p.fiscal_year <= cp.valid_to_fy)
UNION
SELECT t.kind, t.area_code, t.fiscal_year
FROM rf_anc t
JOIN areas a ON a.code = t.area_code AND a.level = 'cluster';

-- The country's children: every province-level code an aggregate can have (their 'total'
-- rows) and the clusters (their 'own' rows: what is tagged to a cluster counts in the country,
-- its member provinces' totals do not count twice).
DROP TABLE IF EXISTS rf_top;
CREATE TEMP TABLE rf_top ON COMMIT DROP AS
SELECT DISTINCT left(code, 2) AS area_code, 'total' AS scope
FROM areas WHERE level <> 'cluster' AND code <> 'TH'
UNION ALL
SELECT code, 'own' FROM areas WHERE level = 'cluster';
ANALYZE rf_cluster, rf_top
