-- Allocations the new version of their source no longer has: kept whole in retired_rows, removed.
INSERT INTO retired_rows (source_id, kind, row_key, title, amount, area_code, fiscal_year, retired_run_id, data)
SELECT a.source_id, 'budget', a.source_key, a.title, a.amount, a.area_code, a.fiscal_year, %(run_id)s, to_jsonb(a)
FROM allocations a
WHERE a.id IN (SELECT id FROM gone_rows);

DELETE FROM allocations WHERE id IN (SELECT id FROM gone_rows);
