INSERT INTO audit_log (actor, address, action, target, details)
VALUES (%(actor)s, %(address)s, %(action)s, %(target)s, %(details)s);
