-- What the dashboard says about the data it shows (cheap: polled every few seconds).
SELECT
    EXISTS (SELECT 1 FROM plan_items WHERE is_synthetic) AS synthetic,
    EXISTS (SELECT 1 FROM area_web_geom WHERE source = 'schematic') AS schematic,
    ARRAY(SELECT DISTINCT fiscal_year FROM agg_demand WHERE area_code = 'TH' ORDER BY 1) AS fiscal_years,
    (SELECT details ->> 'version' FROM import_runs
      WHERE kind = 'boundaries' AND status = 'loaded' ORDER BY id DESC LIMIT 1) AS boundary_version,
    (SELECT max(finished_at) FROM import_runs WHERE status = 'loaded') AS data_date,
    (SELECT version FROM data_version) AS data_version;
