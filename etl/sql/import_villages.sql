-- Villages named in the imported text (tambon code + หมู่ที่) become areas when new: there is
-- no national village list, so the first import that names one creates it.
INSERT INTO areas (code, level, parent_code, name_th)
SELECT s.code, 'village', left(s.code, 6), 'หมู่ที่ ' || right(s.code, 2)::int
FROM stage_villages s
WHERE EXISTS (SELECT 1 FROM areas t WHERE t.code = left(s.code, 6))
ON CONFLICT (code) DO NOTHING;
