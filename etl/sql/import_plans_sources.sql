-- Each staged source with the fiscal year and the plan area most of its rows have.
DROP TABLE IF EXISTS stage_sources;
CREATE TEMP TABLE stage_sources ON COMMIT DROP AS
SELECT source AS name, mode() WITHIN GROUP (ORDER BY fiscal_year) AS fiscal_year,
       mode() WITHIN GROUP (ORDER BY plan_area) AS owner_area
FROM stage_plan_items
GROUP BY source;
