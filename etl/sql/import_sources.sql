-- The sources an import names (%(kind)s; staged rows in %(stage)s are read through the view
-- stage_sources the caller made), created on first import, their description kept up to date.
INSERT INTO sources (kind, name, plan_level, fiscal_year, owner_area, first_run_id, last_run_id)
SELECT %(kind)s, name, %(level)s, fiscal_year, owner_area, %(run_id)s, %(run_id)s
FROM stage_sources
ON CONFLICT ON CONSTRAINT sources_natural_key DO UPDATE
SET plan_level = EXCLUDED.plan_level, fiscal_year = EXCLUDED.fiscal_year, owner_area = EXCLUDED.owner_area,
    last_run_id = EXCLUDED.last_run_id;
