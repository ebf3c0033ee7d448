-- need_for (0017) summed the indicator arrays with a lateral join per area over every member:
-- quadratic, 15 s for the country's 7,425 tambons. The arrays are now summed only for clusters
-- (the one case with several members), in one grouped pass; an area takes its own arrays.
CREATE OR REPLACE FUNCTION need_for(codes text[], fiscal_year integer)
RETURNS TABLE (code text, survey_year_be smallint, households bigint, persons bigint, failing_any bigint,
               target_poor bigint, poor_health bigint, poor_living bigint, poor_education bigint,
               poor_income bigint, poor_access bigint, indicator_assessed bigint[], indicator_failing bigint[])
LANGUAGE sql STABLE AS $$
    WITH members AS (
        SELECT c AS code, c AS member FROM unnest(codes) AS c WHERE c !~ '^C'
        UNION ALL
        SELECT cp.cluster_code, cp.province_code
        FROM cluster_provinces cp
        WHERE cp.cluster_code = ANY(codes)
          AND cp.valid_from_fy <= fiscal_year AND (cp.valid_to_fy IS NULL OR cp.valid_to_fy >= fiscal_year)
    ),
    chosen AS (
        SELECT DISTINCT ON (n.code) n.*
        FROM area_need n
        WHERE n.code IN (SELECT member FROM members)
        ORDER BY n.code, (n.survey_year_be > fiscal_year), abs(n.survey_year_be - fiscal_year)
    ),
    summed AS (  -- clusters: the members' indicator arrays added element by element
        SELECT s.code, array_agg(s.assessed ORDER BY s.i) AS assessed, array_agg(s.failing ORDER BY s.i) AS failing
        FROM (
            SELECT m.code, u.i, sum(u.assessed)::bigint AS assessed, sum(u.failing)::bigint AS failing
            FROM members m
            JOIN chosen c ON c.code = m.member
            CROSS JOIN LATERAL unnest(c.indicator_assessed, c.indicator_failing) WITH ORDINALITY AS u(assessed, failing, i)
            WHERE m.code <> m.member
            GROUP BY m.code, u.i
        ) s
        GROUP BY s.code
    )
    SELECT m.code, min(c.survey_year_be)::smallint,
           sum(c.households)::bigint, sum(c.persons)::bigint, sum(c.failing_any)::bigint,
           sum(c.target_poor)::bigint, sum(c.poor_health)::bigint, sum(c.poor_living)::bigint,
           sum(c.poor_education)::bigint, sum(c.poor_income)::bigint, sum(c.poor_access)::bigint,
           coalesce(s.assessed, max(c.indicator_assessed)), coalesce(s.failing, max(c.indicator_failing))
    FROM members m
    LEFT JOIN chosen c ON c.code = m.member
    LEFT JOIN summed s ON s.code = m.code
    GROUP BY m.code, s.assessed, s.failing
    HAVING count(c.code) = count(*)
$$;
