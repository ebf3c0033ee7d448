-- Demand and supply that matching looks at: allocations not linked by a reference, and plan
-- items of the levels agencies fund (province and cluster plans by default), same fiscal years.
SELECT 'supply' AS side, a.source_key AS key, a.fiscal_year, a.area_code, a.title, a.amount
FROM allocations a
WHERE (a.match_method IS NULL OR a.match_method = 'auto')
  AND (%(fiscal_year)s::smallint IS NULL OR a.fiscal_year = %(fiscal_year)s)
  AND a.area_code <> 'TH'
UNION ALL
SELECT 'demand', i.id::text, i.fiscal_year, i.area_code, i.title, i.requested_amount
FROM plan_items i JOIN plans p ON p.id = i.plan_id
WHERE p.level = ANY(%(levels)s)
  AND (%(fiscal_year)s::smallint IS NULL OR i.fiscal_year = %(fiscal_year)s)
  AND i.area_code <> 'TH';
