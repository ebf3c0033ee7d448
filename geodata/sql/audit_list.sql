-- The audit trail, newest first, filtered by actor, action and period (NULL: any).
SELECT id, at, actor, address, action, target, details
FROM audit_log
WHERE (%(actor)s::text IS NULL OR actor = %(actor)s)
  AND (%(action)s::text IS NULL OR action = %(action)s)
  AND (%(since)s::timestamptz IS NULL OR at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR at < %(until)s)
ORDER BY id DESC
LIMIT %(limit)s;
