-- A new account (no grants: nothing is visible until an admin grants areas).
INSERT INTO users (username, display_name, password_hash)
VALUES (%(username)s, %(display_name)s, %(password_hash)s)
RETURNING id;
