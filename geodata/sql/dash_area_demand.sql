-- Demand of one area for the cards: the fiscal year and the year before, scopes 'total' and
-- 'own' (items tagged to exactly this area), for the chosen plan level and the province plan
-- (the manual's indicator "items proposed by the province").
SELECT d.fiscal_year, d.plan_level, d.scope, d.items, d.requested, d.funded_items, d.funded,
       d.linked_requested
FROM agg_demand d
WHERE %(sector)s::text IS NULL
  AND d.area_code = %(code)s
  AND d.fiscal_year IN (%(fiscal_year)s, %(fiscal_year)s - 1)
  AND d.plan_level IN (%(plan_level)s, 'province')
UNION ALL
SELECT d.fiscal_year, d.plan_level, d.scope, d.items, d.requested, d.funded_items, d.funded,
       d.linked_requested
FROM agg_demand_sector d
WHERE %(sector)s::text IS NOT NULL
  AND d.area_code = %(code)s
  AND d.fiscal_year IN (%(fiscal_year)s, %(fiscal_year)s - 1)
  AND d.plan_level IN (%(plan_level)s, 'province')
  AND d.sector = %(sector)s;
