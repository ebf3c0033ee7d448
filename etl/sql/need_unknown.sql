-- Codes of the survey that are not areas of the gazetteer, by level (stored; reported).
SELECT s.level, count(*)
FROM stage_need s
WHERE s.code <> 'TH' AND NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = s.code)
GROUP BY s.level;
