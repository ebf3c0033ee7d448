-- Change an account's password hash and/or disabled flag (a NULL leaves that one as it is).
UPDATE users
SET password_hash = coalesce(%(password_hash)s, password_hash),
    disabled = coalesce(%(disabled)s, disabled)
WHERE username = %(username)s
RETURNING id;
