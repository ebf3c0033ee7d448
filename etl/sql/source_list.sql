-- Every source with its current rows and amount, and how many rows earlier versions retired.
SELECT s.id, s.kind, s.name, s.plan_level, s.fiscal_year, s.owner_area, s.rows, s.amount,
       r.finished_at AS last_loaded,
       (SELECT count(*) FROM retired_rows x WHERE x.source_id = s.id) AS retired
FROM sources s
LEFT JOIN import_runs r ON r.id = s.last_run_id
WHERE %(kind)s::text IS NULL OR s.kind = %(kind)s
ORDER BY s.kind, s.name;
