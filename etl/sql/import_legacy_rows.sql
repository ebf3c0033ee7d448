-- Plan items imported before sources existed: no source, so no version can replace them and the
-- same files imported again would count twice.
SELECT count(*) AS n, coalesce(sum(requested_amount), 0) AS amount
FROM plan_items
WHERE source_id IS NULL AND NOT is_synthetic AND import_run_id IS NOT NULL;
