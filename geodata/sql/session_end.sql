-- Sign out: this session, or every session of an account (disabled, password changed).
DELETE FROM sessions WHERE token_hash = %(token_hash)s OR user_id = %(user_id)s;
