-- Villages of the list become (or update) areas; an unchanged village is not written, so a
-- second load of the same list changes nothing. A demo village the list names becomes the real
-- one (its invented name and schematic point go). Returns (added, changed).
WITH written AS (
    INSERT INTO areas AS a (code, level, parent_code, name_th, name_en, status)
    SELECT s.code, 'village', left(s.code, 6), s.name_th, s.name_en,
           CASE WHEN s.current THEN 'current' ELSE 'abolished' END
    FROM stage_village_list s
    WHERE EXISTS (SELECT 1 FROM areas t WHERE t.code = left(s.code, 6) AND t.level = 'tambon')
    ON CONFLICT (code) DO UPDATE
        SET name_th = EXCLUDED.name_th,
            name_en = EXCLUDED.name_en,
            status = EXCLUDED.status,
            is_synthetic = false,
            point = CASE WHEN a.is_synthetic THEN NULL ELSE a.point END,
            point_approximate = CASE WHEN a.is_synthetic THEN false ELSE a.point_approximate END
        WHERE (a.name_th, a.name_en, a.status, a.is_synthetic)
              IS DISTINCT FROM (EXCLUDED.name_th, EXCLUDED.name_en, EXCLUDED.status, false)
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written;
