-- The number of plan items of an area, plan level and fiscal year (all sectors or one), from
-- the pre-aggregates: the total a list of the largest items says it shows part of.
SELECT coalesce(sum(items), 0) AS total FROM (
    SELECT items FROM agg_demand
    WHERE %(sector)s::text IS NULL AND area_code = %(code)s AND fiscal_year = %(fiscal_year)s
      AND plan_level = %(plan_level)s AND scope = 'total'
    UNION ALL
    SELECT items FROM agg_demand_sector
    WHERE %(sector)s::text IS NOT NULL AND area_code = %(code)s AND fiscal_year = %(fiscal_year)s
      AND plan_level = %(plan_level)s AND scope = 'total' AND sector = %(sector)s
) t;
