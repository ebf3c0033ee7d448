-- The data version: the newest import run's id (every load, demo and boundary file adds one).
SELECT coalesce(max(id), 0) AS version FROM import_runs;
