-- Where the loaded data came from, newest first: what every export names as its source.
SELECT kind, source, finished_at
FROM import_runs
WHERE status = 'loaded' AND kind IN ('plans', 'budget', 'demo')
ORDER BY finished_at DESC NULLS LAST, id DESC
LIMIT 20;
