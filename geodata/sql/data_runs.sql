-- The latest import runs (newest first) for the data page: what was read, what came of it.
SELECT r.id, r.kind, r.source, r.status, r.started_at, r.finished_at, r.counts,
       r.details - 'notes' AS details,
       (SELECT count(*) FROM import_findings f WHERE f.run_id = r.id) AS findings
FROM import_runs r
WHERE r.kind IN ('plans', 'budget', 'boundaries', 'demo')
ORDER BY r.id DESC
LIMIT %(limit)s;
