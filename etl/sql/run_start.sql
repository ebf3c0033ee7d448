-- Record the start of a load (its own row; status 'running' until it finishes).
INSERT INTO import_runs (kind, source, checksum, details)
VALUES (%(kind)s, %(source)s, %(checksum)s, %(details)s)
RETURNING id;
