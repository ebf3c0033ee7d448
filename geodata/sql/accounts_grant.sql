-- Grant a role over an area (granting it again changes nothing).
INSERT INTO grants (user_id, role, area_code, granted_by)
SELECT id, %(role)s, %(area)s, %(by)s FROM users WHERE username = %(username)s
ON CONFLICT DO NOTHING
RETURNING user_id;
