-- Record how a load ended: its status, its counts, and details added to those it started with.
UPDATE import_runs
SET status = %(status)s, finished_at = now(), counts = %(counts)s, details = details || %(details)s
WHERE id = %(run_id)s;
