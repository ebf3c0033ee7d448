-- Least privilege: the web app connects as a member of planmap_web, which reads everything the
-- dashboard shows and writes only sign-in sessions, login attempts, the audit trail and matching
-- decisions. A flaw in the web app can then neither change the loaded plans and budget nor
-- accounts and grants, nor rewrite the audit trail, nor create objects. The owner (the role
-- that runs these migrations and the imports) keeps every privilege.

-- Roles belong to the whole cluster, not to this database: another database of the same
-- server (the test suite clones many) may have created it already, maybe at this very moment.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'planmap_web') THEN
        BEGIN
            CREATE ROLE planmap_web NOLOGIN;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
                NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role planmap_web does not exist and % may not create roles', current_user
                    USING HINT = 'As a superuser run: CREATE ROLE planmap_web NOLOGIN; '
                                 'CREATE ROLE planmap_app LOGIN PASSWORD ''…'' IN ROLE planmap_web; '
                                 'then migrate again (README, "Database roles").';
        END;
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO planmap_web;

-- Reads: every table and view (the dashboard's pre-aggregates, geometry, the data page's runs
-- and findings, the review list, and users/grants/sessions to check a sign-in).
GRANT SELECT ON ALL TABLES IN SCHEMA public TO planmap_web;

-- Writes: the narrow path of the web app, nothing else.
GRANT INSERT, UPDATE, DELETE ON sessions TO planmap_web;                  -- sign in, keep alive, sign out
GRANT INSERT ON login_attempts TO planmap_web;                             -- throttling sign-ins
GRANT INSERT ON audit_log TO planmap_web;                                  -- append only
GRANT INSERT ON match_decision_history TO planmap_web;                     -- an officer's decision
GRANT USAGE ON SEQUENCE login_attempts_id_seq, audit_log_id_seq, match_decision_history_id_seq
    TO planmap_web;

-- Nobody but the owner creates objects here (PostgreSQL 15 does so by default; older servers
-- let every role create tables in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Tables and views of later migrations are readable by the web app without a grant each; a
-- later table the web app must write needs its own GRANT in its migration.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO planmap_web;
