-- The data-health findings behind what is loaded: those of loaded runs, and of held runs that no
-- later load of the same source replaced (they still wait for a decision). Newest run first.
SELECT f.run_id, f.rule, f.file, f.sheet, f.first_row, f.last_row, f.rows, f.amount, f.message, f.option,
       f.action
FROM import_findings f
JOIN import_runs r ON r.id = f.run_id
WHERE f.run_id = ANY (%(runs)s)
  AND (r.status = 'loaded'
       OR (r.status = 'held' AND NOT EXISTS (
             SELECT 1 FROM import_runs later
             WHERE later.source = r.source AND later.kind = r.kind AND later.id > r.id
               AND later.status = 'loaded')))
ORDER BY f.run_id DESC, f.id;
