-- Each staged source with the fiscal year and the province most of its rows have.
DROP TABLE IF EXISTS stage_sources;
CREATE TEMP TABLE stage_sources ON COMMIT DROP AS
SELECT source AS name, mode() WITHIN GROUP (ORDER BY fiscal_year) AS fiscal_year,
       mode() WITHIN GROUP (ORDER BY CASE WHEN area_code ~ '^[0-9]{2}' THEN left(area_code, 2) ELSE 'TH' END)
           AS owner_area
FROM stage_allocations
GROUP BY source;
