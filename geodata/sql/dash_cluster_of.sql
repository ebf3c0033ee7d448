-- The provincial cluster a province belonged to in a fiscal year (membership is data).
SELECT cp.cluster_code AS code
FROM cluster_provinces cp
WHERE cp.province_code = %(province)s AND cp.valid_from_fy <= %(fiscal_year)s
  AND (cp.valid_to_fy IS NULL OR cp.valid_to_fy >= %(fiscal_year)s)
ORDER BY cp.valid_from_fy DESC, cp.cluster_code
LIMIT 1;
