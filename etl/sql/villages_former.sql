-- Former names of the listed villages: replaced by the list's (only where they differ).
DELETE FROM area_former_names f
WHERE f.code IN (SELECT code FROM stage_village_list)
  AND NOT EXISTS (SELECT 1 FROM stage_village_former s
                  WHERE s.code = f.code AND s.name_th = f.name_th
                    AND s.name_en IS NOT DISTINCT FROM f.name_en
                    AND s.renamed_on IS NOT DISTINCT FROM f.renamed_on);
INSERT INTO area_former_names (code, name_th, name_en, renamed_on)
SELECT s.code, s.name_th, s.name_en, s.renamed_on
FROM stage_village_former s
WHERE EXISTS (SELECT 1 FROM areas a WHERE a.code = s.code)
ON CONFLICT (code, name_th) DO NOTHING;
