-- Staging table for one boundary level (dropped at commit).
CREATE TEMP TABLE IF NOT EXISTS stage_boundaries (
    code text PRIMARY KEY, name_th text, name_en text, geom_wkb text
) ON COMMIT DROP;
TRUNCATE stage_boundaries;
