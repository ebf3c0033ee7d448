-- The gazetteer's real villages (the national village list, villages an import named): the demo
-- uses the current ones of a tambon instead of inventing any; an abolished one keeps its code.
SELECT code, parent_code, name_th, name_en, status = 'current' AS current
FROM areas
WHERE level = 'village' AND NOT is_synthetic
ORDER BY code;
