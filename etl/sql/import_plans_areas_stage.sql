-- Every area the staged items name, for those naming more than one (dropped at commit).
CREATE TEMP TABLE IF NOT EXISTS stage_plan_item_areas (
    source text NOT NULL, item_key text NOT NULL, area_code text NOT NULL, role text NOT NULL,
    position smallint NOT NULL
) ON COMMIT DROP;
TRUNCATE stage_plan_item_areas;
