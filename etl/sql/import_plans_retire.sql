-- Rows the new version of their source no longer has: kept whole in retired_rows, then removed
-- (their links to allocations undone: the match is made again by `planmap match run`).
INSERT INTO retired_rows (source_id, kind, row_key, title, amount, area_code, fiscal_year, retired_run_id, data)
SELECT i.source_id, 'plans', i.item_key, i.title, i.requested_amount, i.area_code, i.fiscal_year, %(run_id)s,
       to_jsonb(i)
FROM plan_items i
WHERE i.id IN (SELECT id FROM gone_rows);

UPDATE allocations
SET plan_item_id = NULL, match_method = NULL, match_confidence = NULL
WHERE plan_item_id IN (SELECT id FROM gone_rows);

DELETE FROM plan_items WHERE id IN (SELECT id FROM gone_rows);
