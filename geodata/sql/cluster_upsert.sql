INSERT INTO areas (code, level, parent_code, name_th, name_en)
VALUES (%(code)s, 'cluster', NULL, %(name_th)s, %(name_en)s)
ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en;
