-- Codes of the file the gazetteer does not know (stored all the same; reported).
SELECT count(DISTINCT s.code)
FROM stage_population s
WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = s.code);
