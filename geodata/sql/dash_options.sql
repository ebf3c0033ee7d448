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
      WHERE o.id IN (SELECT agency_id FROM agg_supply_detail WHERE area_code = 'TH')) AS agencies;
