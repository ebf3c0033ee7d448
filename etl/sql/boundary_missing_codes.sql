-- Current gazetteer areas of the level that the boundary file does not have.
SELECT a.code
FROM areas a
WHERE a.level = %(level)s AND a.status = 'current'
  AND NOT EXISTS (SELECT 1 FROM stage_boundaries s WHERE s.code = a.code)
ORDER BY a.code;
