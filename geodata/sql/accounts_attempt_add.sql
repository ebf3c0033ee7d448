INSERT INTO login_attempts (username, address, ok) VALUES (%(username)s, %(address)s, %(ok)s);
