-- Accounts, area-scoped grants, sessions, login attempts, the audit trail, and matching
-- decisions kept as history (each decision a new row; the latest one counts).

CREATE TABLE users (
    id             bigserial PRIMARY KEY,
    username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
    display_name   text CHECK (length(display_name) <= 200),
    password_hash  text,               -- argon2id; NULL for an account that signs in only by SSO
    oidc_subject   text UNIQUE,        -- the identity provider's subject, once linked
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A role over an area: the whole country (TH), a provincial cluster (C01), a province (37) or a
-- district (3701). Nothing is granted by default.
CREATE TABLE grants (
    user_id     bigint NOT NULL REFERENCES users (id),
    role        text NOT NULL CHECK (role IN ('viewer', 'officer', 'admin')),
    area_code   text NOT NULL CHECK (area_code ~ '^(TH|C[0-9]{2}|[0-9]{2}|[0-9]{4})$'),
    granted_by  text NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, role, area_code)
);

-- Server-side sessions: the cookie holds a random token, the table only its sha256, so a copy
-- of the table signs nobody in. Several app servers share them through the database.
CREATE TABLE sessions (
    token_hash  text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    csrf_token  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    address     text,
    user_agent  text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_attempts (
    id         bigserial PRIMARY KEY,
    username   text NOT NULL,
    address    text,
    ok         boolean NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at);
CREATE INDEX login_attempts_address_idx ON login_attempts (address, at);

-- Every write, who made it, from where, and what changed. Append-only: the web app's role may
-- insert and read, never update or delete (0014_roles.sql); a trigger refuses it to everyone.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,         -- a username, "cli:<system user>" or "anonymous"
    address   text,                  -- the client's address, or NULL from the command line
    action    text NOT NULL,         -- login, login_failed, logout, decision, import, user_add, grant …
    target    text,
    details   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Decisions become history: every decision is a row; match_decisions is the latest per suggestion.
ALTER TABLE match_decisions RENAME TO match_decision_history;
ALTER TABLE match_decision_history DROP CONSTRAINT match_decisions_pkey;
ALTER TABLE match_decision_history ADD COLUMN id bigserial PRIMARY KEY;
CREATE INDEX match_decision_history_key_idx
    ON match_decision_history (allocation_key, item_level, item_area, item_fiscal_year, item_key, id DESC);
CREATE VIEW match_decisions AS
SELECT DISTINCT ON (allocation_key, item_level, item_area, item_fiscal_year, item_key)
       allocation_key, item_level, item_area, item_fiscal_year, item_key, decision, confidence,
       decided_by, decided_at
FROM match_decision_history
ORDER BY allocation_key, item_level, item_area, item_fiscal_year, item_key, id DESC;
