-- Runs still marked 'running' whose process no longer holds the run's advisory lock (it was
-- killed or crashed): they end as failed, with the reason. The lock is taken and released at
-- once, so a run that is really running is left alone.
UPDATE import_runs r
SET status = 'failed', finished_at = now(),
    details = r.details || jsonb_build_object('error', 'ended without finishing: the process stopped', 'stopped', true)
WHERE r.status = 'running'
  AND pg_try_advisory_lock(%(namespace)s, r.id::integer)
  AND pg_advisory_unlock(%(namespace)s, r.id::integer)
RETURNING r.id;
