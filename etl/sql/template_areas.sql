-- The areas a plan template offers in its code list (listed): the gazetteer's current provinces,
-- districts and tambons within the given areas (NULL: the whole country; a cluster stands for
-- its provinces of today); and the given areas themselves (given), to name them in the
-- instructions. Each with the Thai names of its district and province, for its label.
WITH given AS (
    SELECT unnest(%(within)s::text[]) AS code
), prefixes AS (
    SELECT code FROM given WHERE code ~ '^[0-9]+$'
    UNION
    SELECT cp.province_code
    FROM cluster_provinces cp
    JOIN given g ON g.code = cp.cluster_code
    WHERE cp.valid_to_fy IS NULL
)
SELECT * FROM (
    SELECT a.code, a.level, a.name_th, d.name_th AS district_th, p.name_th AS province_th,
           (a.level IN ('province', 'district', 'tambon') AND a.status = 'current' AND NOT a.is_synthetic
            AND (%(within)s::text[] IS NULL OR EXISTS (SELECT 1 FROM prefixes x WHERE a.code LIKE x.code || '%%')))
               AS listed,
           a.code IN (SELECT code FROM given) AS given
    FROM areas a
    LEFT JOIN areas d ON length(a.code) = 6 AND d.code = left(a.code, 4)
    LEFT JOIN areas p ON length(a.code) > 2 AND p.code = left(a.code, 2)
) found
WHERE listed OR given
ORDER BY code;
