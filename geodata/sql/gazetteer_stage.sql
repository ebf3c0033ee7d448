-- Staging table for the gazetteer sync (dropped at commit).
CREATE TEMP TABLE stage_areas (
    code text, level text, parent_code text, name_th text, name_en text,
    status text, successor_codes text[], ord integer
) ON COMMIT DROP;
