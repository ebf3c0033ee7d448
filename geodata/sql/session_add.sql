INSERT INTO sessions (token_hash, user_id, csrf_token, address, user_agent)
VALUES (%(token_hash)s, %(user_id)s, %(csrf_token)s, %(address)s, %(user_agent)s);
