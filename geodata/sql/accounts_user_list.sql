-- Every account with its grants and its last successful login.
SELECT u.id, u.username, u.display_name, u.disabled, u.created_at,
       coalesce(string_agg(g.role || ':' || g.area_code, ', ' ORDER BY g.role, g.area_code), '') AS grants,
       (SELECT max(a.at) FROM login_attempts a WHERE a.username = u.username AND a.ok) AS last_login
FROM users u
LEFT JOIN grants g ON g.user_id = u.id
GROUP BY u.id
ORDER BY u.username;
