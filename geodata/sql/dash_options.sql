-- What the filters may offer (read from the national rows of the pre-aggregates, so it is cheap).
SELECT
    ARRAY(SELECT fiscal_year FROM agg_demand WHERE area_code = 'TH'
          UNION SELECT fiscal_year FROM agg_supply_detail WHERE area_code = 'TH'
          ORDER BY 1) AS fiscal_years,
    ARRAY(SELECT DISTINCT fiscal_year FROM agg_demand WHERE area_code = 'TH' ORDER BY 1) AS demand_years,
    ARRAY(SELECT sector FROM agg_demand_sector WHERE area_code = 'TH' AND sector <> ''
          UNION SELECT sector FROM agg_supply_detail WHERE area_code = 'TH' AND sector <> ''
          ORDER BY 1) AS sectors,
    (SELECT coalesce(json_agg(json_build_array(o.id, o.name_th, o.name_en) ORDER BY o.name_th), '[]')
       FROM organisations o
      WHERE o.id IN (SELECT agency_id FROM agg_supply_detail WHERE area_code = 'TH')) AS agencies,
    -- what is loaded: plan items by plan level and year, funded allocations by year (and how
    -- much of their money is linked to plan items)
    (SELECT coalesce(json_agg(json_build_array(plan_level, fiscal_year, items, requested::text)
                              ORDER BY fiscal_year, plan_level), '[]')
       FROM agg_demand WHERE area_code = 'TH' AND scope = 'total') AS demand,
    (SELECT coalesce(json_agg(json_build_array(fiscal_year, items, amount::text, linked::text)
                              ORDER BY fiscal_year), '[]')
       FROM (SELECT fiscal_year, sum(items) AS items, sum(amount) AS amount,
                    coalesce(sum(amount) FILTER (WHERE linked_level <> ''), 0) AS linked
               FROM agg_supply_detail WHERE area_code = 'TH' AND scope = 'total' AND status = 'funded'
              GROUP BY fiscal_year) s) AS supply;
