-- Failed sign-ins in the window, for the account name and for the address.
SELECT count(*) FILTER (WHERE username = %(username)s) AS by_user,
       count(*) FILTER (WHERE address = %(address)s) AS by_address,
       min(at) FILTER (WHERE username = %(username)s) AS first_by_user,
       min(at) FILTER (WHERE address = %(address)s) AS first_by_address
FROM login_attempts
WHERE NOT ok AND at > now() - make_interval(secs => %(window)s)
  AND (username = %(username)s OR address = %(address)s);
