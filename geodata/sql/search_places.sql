-- Every current area a reader may jump to from the place search (clusters, provinces, districts,
-- tambons, villages), with the names of the district and province it lies in, so that the many
-- tambons and villages sharing a name can be told apart. Read once per data version.
SELECT a.code, a.level, a.name_th, a.name_en,
       d.name_th AS district_th, d.name_en AS district_en,
       p.name_th AS province_th, p.name_en AS province_en
FROM areas a
LEFT JOIN areas d ON a.level IN ('tambon', 'village') AND d.code = left(a.code, 4)
LEFT JOIN areas p ON a.level IN ('district', 'tambon', 'village') AND p.code = left(a.code, 2)
WHERE a.status = 'current'
  AND a.level IN ('cluster', 'province', 'district', 'tambon', 'village')
ORDER BY a.code;
