-- The areas drawn on the map (or listed beside it) for one view, with their totals for the
-- fiscal year and the year before: demand for one plan level (all sectors from agg_demand, or
-- one sector from agg_demand_sector) and funded allocations by the supply filters.
-- Which areas: those of the level whose code matches the LIKE pattern "prefix" (a lone
-- wildcard for the whole country, "37" and a wildcard inside province 37), or the member
-- provinces of a cluster in that fiscal year.
-- The year before is read only when "previous_year" differs from the fiscal year, and supply only
-- when "with_supply" is true. Supply carries what is linked to plan items and what is this
-- year's instalment of a multi-year obligation, so every funded figure can say its coverage.
-- Population (the count nearest the fiscal year) and TPMAP need come from population_for and
-- need_for, the one definition the cards use too.
WITH kids AS (
    SELECT a.code, a.level, a.name_th, a.name_en, a.point_approximate AS approximate,
           ST_X(a.point) AS lon, ST_Y(a.point) AS lat,
           CASE WHEN a.level = 'village' THEN a.point IS NOT NULL
                ELSE EXISTS (SELECT 1 FROM area_web_geom w WHERE w.code = a.code) END AS drawable
    FROM areas a
    WHERE a.level = %(level)s
      AND a.code LIKE %(prefix)s
      AND (%(cluster)s::text IS NULL OR a.code IN (
            SELECT cp.province_code FROM cluster_provinces cp
            WHERE cp.cluster_code = %(cluster)s AND cp.valid_from_fy <= %(fiscal_year)s
              AND (cp.valid_to_fy IS NULL OR cp.valid_to_fy >= %(fiscal_year)s)))
),
demand AS (
    SELECT d.area_code, d.fiscal_year, d.items, d.requested, d.funded_items, d.funded, d.linked_requested
    FROM agg_demand d
    WHERE %(sector)s::text IS NULL
      AND d.area_code IN (SELECT code FROM kids)
      AND d.fiscal_year IN (%(fiscal_year)s, %(previous_year)s)
      AND d.plan_level = %(plan_level)s AND d.scope = 'total'
    UNION ALL
    SELECT d.area_code, d.fiscal_year, d.items, d.requested, d.funded_items, d.funded, d.linked_requested
    FROM agg_demand_sector d
    WHERE %(sector)s::text IS NOT NULL
      AND d.area_code IN (SELECT code FROM kids)
      AND d.fiscal_year IN (%(fiscal_year)s, %(previous_year)s)
      AND d.plan_level = %(plan_level)s AND d.scope = 'total' AND d.sector = %(sector)s
),
supply AS (
    SELECT s.area_code, s.fiscal_year, sum(s.items) AS allocations, sum(s.amount) AS allocated,
           coalesce(sum(s.amount) FILTER (WHERE s.linked_level <> ''), 0) AS linked_allocated,
           coalesce(sum(s.amount) FILTER (WHERE s.multi_year), 0) AS multi_year
    FROM agg_supply_detail s
    WHERE %(with_supply)s
      AND s.area_code IN (SELECT code FROM kids)
      AND s.fiscal_year IN (%(fiscal_year)s, %(previous_year)s)
      AND s.scope = 'total' AND s.status = 'funded'
      AND (%(sector)s::text IS NULL OR s.sector = %(sector)s)
      AND (%(funding_source)s::text IS NULL OR s.funding_source = %(funding_source)s)
      AND (%(agency_id)s::bigint IS NULL OR s.agency_id = %(agency_id)s)
    GROUP BY 1, 2
)
SELECT k.code, k.level, k.name_th, k.name_en, k.drawable, k.lon, k.lat, k.approximate,
       pop.population, pop.year_be AS population_year,
       n.survey_year_be AS need_year, n.households, n.persons, n.failing_any, n.target_poor,
       n.poor_health, n.poor_living, n.poor_education, n.poor_income, n.poor_access,
       n.indicator_assessed, n.indicator_failing,
       c.items, c.requested, c.funded_items, c.funded, c.linked_requested,
       cs.allocations, cs.allocated, cs.linked_allocated, cs.multi_year,
       p.items AS prev_items, p.requested AS prev_requested, p.funded_items AS prev_funded_items,
       p.funded AS prev_funded, p.linked_requested AS prev_linked_requested,
       ps.allocations AS prev_allocations, ps.allocated AS prev_allocated,
       ps.linked_allocated AS prev_linked_allocated, ps.multi_year AS prev_multi_year
FROM kids k
LEFT JOIN demand c ON c.area_code = k.code AND c.fiscal_year = %(fiscal_year)s
LEFT JOIN demand p ON p.area_code = k.code AND p.fiscal_year = %(previous_year)s
     AND %(previous_year)s <> %(fiscal_year)s
LEFT JOIN supply cs ON cs.area_code = k.code AND cs.fiscal_year = %(fiscal_year)s
LEFT JOIN supply ps ON ps.area_code = k.code AND ps.fiscal_year = %(previous_year)s
     AND %(previous_year)s <> %(fiscal_year)s
LEFT JOIN population_for(ARRAY(SELECT code FROM kids), %(fiscal_year)s) pop ON pop.code = k.code
LEFT JOIN need_for(ARRAY(SELECT code FROM kids), %(fiscal_year)s) n ON n.code = k.code
ORDER BY k.code;
