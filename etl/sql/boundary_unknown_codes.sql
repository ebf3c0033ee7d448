-- Codes in the boundary file that are not current gazetteer areas of that level.
SELECT s.code
FROM stage_boundaries s
LEFT JOIN areas a ON a.code = s.code AND a.status = 'current' AND a.level = %(level)s
WHERE a.code IS NULL
ORDER BY s.code;
