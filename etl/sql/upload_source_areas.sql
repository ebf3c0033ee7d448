-- The provinces (clusters kept whole) that each source's current rows and their plans lie in;
-- 'TH' for rows located nowhere finer. The upload page lets an officer remove a source only
-- when all of them (rows in 'TH' count as the source's owner area) are within the officer's scope.
SELECT x.source_id, array_agg(DISTINCT CASE WHEN x.code ~ '^[0-9]{2}' THEN left(x.code, 2) ELSE x.code END
                              ORDER BY CASE WHEN x.code ~ '^[0-9]{2}' THEN left(x.code, 2) ELSE x.code END) AS areas
FROM (
    SELECT i.source_id, i.area_code AS code FROM plan_items i WHERE i.source_id IS NOT NULL
    UNION
    SELECT i.source_id, p.area_code FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE i.source_id IS NOT NULL
    UNION
    SELECT a.source_id, a.area_code FROM allocations a WHERE a.source_id IS NOT NULL
) x
GROUP BY x.source_id;
