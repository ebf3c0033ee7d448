-- The provinces of the given clusters today (a cluster grant covers them).
SELECT cluster_code, province_code
FROM cluster_provinces
WHERE cluster_code = ANY (%(clusters)s) AND valid_to_fy IS NULL
ORDER BY 1, 2;
