-- Take back a role over an area.
DELETE FROM grants g
USING users u
WHERE u.id = g.user_id AND u.username = %(username)s AND g.role = %(role)s AND g.area_code = %(area)s
RETURNING g.user_id;
