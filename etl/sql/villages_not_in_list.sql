-- Villages the database holds that the list does not name (kept; reported).
SELECT count(*)
FROM areas a
WHERE a.level = 'village'
  AND NOT EXISTS (SELECT 1 FROM stage_village_list s WHERE s.code = a.code);
