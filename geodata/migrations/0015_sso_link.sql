-- Single sign-on links an identity provider's subject to an account on its first sign-in
-- (dashboard/sso.py). The web app may not update users; it calls this function instead, which
-- only ever fills an empty link of an enabled account and never changes or removes one.
-- A link is undone by the owner: UPDATE users SET oidc_subject = NULL WHERE username = '…'.

CREATE FUNCTION link_oidc_subject(p_username text, p_subject text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    linked bigint;
BEGIN
    UPDATE users SET oidc_subject = p_subject
    WHERE username = p_username AND oidc_subject IS NULL AND NOT disabled
      AND p_subject IS NOT NULL AND length(p_subject) BETWEEN 1 AND 600
    RETURNING id INTO linked;
    RETURN linked;
EXCEPTION
    WHEN unique_violation THEN
        RETURN NULL;  -- the subject is linked to another account already
END $$;

REVOKE ALL ON FUNCTION link_oidc_subject(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION link_oidc_subject(text, text) TO planmap_web;
