-- The national village list as loaded by planmap geo villages (empty before: no list). Villages
-- the demo invented never count; those an import named ("หมู่ที่ n") exist as areas and do.
SELECT a.code, a.name_th, a.status = 'current' AS current
FROM areas a
WHERE a.level = 'village' AND NOT a.is_synthetic
  AND EXISTS (SELECT 1 FROM import_runs r WHERE r.kind = 'villages' AND r.status = 'loaded')
ORDER BY a.code;
