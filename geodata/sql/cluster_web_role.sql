-- The dashboard's login role in the private cluster, as it must be at every start: it can log in
-- and is nothing more than a member of the web group (whose privileges 0014_roles.sql grants).
-- Composed by geodata/pgcluster.py: the role names are identifiers, the password a SCRAM verifier.
ALTER ROLE {login} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT
    PASSWORD {verifier};
GRANT {group} TO {login};
