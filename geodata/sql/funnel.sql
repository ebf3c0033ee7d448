-- The escalation funnel of an area and fiscal year, from the pre-aggregate (rebuilt after every
-- load by refresh_aggregates.sql, step 5); steps nobody reached have no row.
SELECT step, items, amount
FROM agg_funnel
WHERE area_code = %(area)s AND fiscal_year = %(fiscal_year)s
ORDER BY step;
