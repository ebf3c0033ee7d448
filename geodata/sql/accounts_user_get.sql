-- One account by name, by id or by its single sign-on subject, with its grants (an empty list
-- when it has none).
SELECT u.id, u.username, u.display_name, u.password_hash, u.oidc_subject, u.disabled,
       coalesce(jsonb_agg(jsonb_build_object('role', g.role, 'area', g.area_code))
                FILTER (WHERE g.role IS NOT NULL), '[]') AS grants
FROM users u
LEFT JOIN grants g ON g.user_id = u.id
WHERE u.username = %(username)s OR u.id = %(user_id)s OR u.oidc_subject = %(subject)s
GROUP BY u.id;
