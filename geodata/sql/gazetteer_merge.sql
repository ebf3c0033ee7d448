-- Insert new gazetteer areas and update changed names/status; untouched rows stay as they are,
-- so a second sync changes nothing (rowcount 0). Geometry and population are never touched.
INSERT INTO areas (code, level, parent_code, name_th, name_en, status, successor_codes)
SELECT code, level, parent_code, name_th, name_en, status, successor_codes
FROM stage_areas
ORDER BY ord
ON CONFLICT (code) DO UPDATE
SET level = EXCLUDED.level,
    parent_code = EXCLUDED.parent_code,
    name_th = EXCLUDED.name_th,
    name_en = EXCLUDED.name_en,
    status = EXCLUDED.status,
    successor_codes = EXCLUDED.successor_codes
WHERE (areas.level, areas.parent_code, areas.name_th, areas.name_en, areas.status, areas.successor_codes)
      IS DISTINCT FROM
      (EXCLUDED.level, EXCLUDED.parent_code, EXCLUDED.name_th, EXCLUDED.name_en, EXCLUDED.status,
       EXCLUDED.successor_codes);
