-- The data version: how many import runs have ended. A run's row is committed as 'running' when it
-- starts, long before its data; it ends in the load's own transaction, together with the data. So
-- the version moves exactly when what readers see can have changed, never before (a read cached
-- at the running run's version would outlive the load's commit). Runs are never deleted.
SELECT count(*) FILTER (WHERE status <> 'running') AS version FROM import_runs;
