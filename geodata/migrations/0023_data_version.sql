-- What the dashboard keys its cached reads by (the options a link is checked against, rendered
-- exports, the search index): how many import runs have loaded data. A run's row is committed as
-- 'running' when it starts, long before its data; it ends 'loaded' in the load's own transaction,
-- with the data. So the version moves exactly when what readers see has changed: not when a run
-- starts, nor for a dry run, a refused or a failed one (they change nothing). Runs are never
-- deleted. One definition, read by data_version.sql and dash_status.sql.
CREATE VIEW data_version AS
SELECT count(*) FILTER (WHERE status = 'loaded') AS version FROM import_runs;

-- Matching links allocations to plan items (what is funded changes on the map): a run like a
-- load, so that it moves the data version too and the data date says when links were last made.
ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_kind_check
    CHECK (kind IN ('boundaries', 'clusters', 'population', 'plans', 'budget', 'demo', 'removal',
                    'villages', 'need', 'matching'));
