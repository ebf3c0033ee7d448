-- Plans named by the staged items, by natural key (level, area, owner, fiscal year, cycle).
INSERT INTO plans (level, area_code, owner_id, fiscal_year, submitted_on, import_run_id, cycle)
SELECT plan_level, plan_area, NULL, fiscal_year, min(submitted_on), %(run_id)s, cycle
FROM stage_plan_items
GROUP BY plan_level, plan_area, fiscal_year, cycle
ON CONFLICT ON CONSTRAINT plans_natural_key DO NOTHING;

