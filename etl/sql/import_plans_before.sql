-- The current version of the sources being imported, as it was before this import (for the
-- difference), and the rows the new version no longer has.
DROP TABLE IF EXISTS before_rows;
CREATE TEMP TABLE before_rows ON COMMIT DROP AS
SELECT i.id, i.source_id, i.item_key AS row_key, i.title, i.requested_amount AS amount, i.area_code,
       i.fiscal_year, i.source_row, i.escalated_to_id
FROM plan_items i
JOIN sources src ON src.id = i.source_id
WHERE src.kind = 'plans' AND src.name IN (SELECT name FROM stage_sources);

DROP TABLE IF EXISTS gone_rows;
CREATE TEMP TABLE gone_rows ON COMMIT DROP AS
SELECT b.id
FROM before_rows b
JOIN sources src ON src.id = b.source_id
WHERE NOT EXISTS (SELECT 1 FROM stage_plan_items s WHERE s.source = src.name AND s.item_key = b.row_key);

-- Where funding may change when those rows go, while their links can still be seen: the items
-- below them and the one above (a split among the rest changes), the allocations linked to them.
DROP TABLE IF EXISTS retired_links;
CREATE TEMP TABLE retired_links ON COMMIT DROP AS
SELECT c.area_code, c.fiscal_year FROM plan_items c WHERE c.escalated_to_id IN (SELECT id FROM gone_rows)
UNION
SELECT p.area_code, p.fiscal_year
FROM before_rows b JOIN plan_items p ON p.id = b.escalated_to_id
WHERE b.id IN (SELECT id FROM gone_rows)
UNION
SELECT a.area_code, a.fiscal_year FROM allocations a WHERE a.plan_item_id IN (SELECT id FROM gone_rows);
