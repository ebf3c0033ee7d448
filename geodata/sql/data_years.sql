-- What each fiscal year holds nationally: plan items per plan level, funded allocations (with
-- what is linked to plan items and what is multi-year instalments), from the pre-aggregates.
SELECT fiscal_year, plan_level, items, requested, 0 AS allocations, 0 AS allocated,
       0 AS linked_allocated, 0 AS multi_year
FROM agg_demand
WHERE area_code = 'TH' AND scope = 'total'
UNION ALL
SELECT fiscal_year, '' AS plan_level, 0, 0, sum(items), sum(amount),
       coalesce(sum(amount) FILTER (WHERE linked_level <> ''), 0),
       coalesce(sum(amount) FILTER (WHERE multi_year), 0)
FROM agg_supply_detail
WHERE area_code = 'TH' AND scope = 'total' AND status = 'funded'
GROUP BY fiscal_year
ORDER BY 1, 2;
