-- A live session: not idle longer than the idle timeout, not older than the absolute one, its
-- account not disabled. last_seen is moved at most once a minute (fewer writes per click).
UPDATE sessions s
SET last_seen = CASE WHEN s.last_seen < now() - interval '1 minute' THEN now() ELSE s.last_seen END
FROM users u
WHERE s.token_hash = %(token_hash)s AND u.id = s.user_id AND NOT u.disabled
  AND s.last_seen > now() - make_interval(secs => %(idle)s)
  AND s.created_at > now() - make_interval(secs => %(absolute)s)
RETURNING s.user_id, s.csrf_token;
