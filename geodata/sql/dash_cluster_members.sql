-- Member provinces of a cluster in a fiscal year.
SELECT cp.province_code AS code
FROM cluster_provinces cp
WHERE cp.cluster_code = %(cluster)s AND cp.valid_from_fy <= %(fiscal_year)s
  AND (cp.valid_to_fy IS NULL OR cp.valid_to_fy >= %(fiscal_year)s)
ORDER BY 1;
