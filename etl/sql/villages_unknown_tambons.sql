-- Tambons of the list the gazetteer does not know: their villages are skipped and reported.
SELECT DISTINCT left(s.code, 6) AS tambon
FROM stage_village_list s
WHERE NOT EXISTS (SELECT 1 FROM areas t WHERE t.code = left(s.code, 6) AND t.level = 'tambon')
ORDER BY 1;
