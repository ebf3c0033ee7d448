-- Link an identity provider's subject to an enabled account not linked yet (0015_sso_link.sql);
-- the account's id, or NULL when nothing was linked.
SELECT link_oidc_subject(%(username)s, %(subject)s) AS id;
