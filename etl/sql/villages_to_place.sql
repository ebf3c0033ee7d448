-- Current villages without a surveyed point (none, or an approximate one), all those of a tambon
-- together (the placement is deterministic: an unchanged tambon gets the same points again and
-- nothing is written), in the tambon's boundary polygon when loaded, else in its shape on the map
-- (the demo's schematic rectangle). "tambons" NULL: every tambon; else only those.
WITH todo AS (
    SELECT parent_code, array_agg(code ORDER BY code) AS codes
    FROM areas
    WHERE level = 'village' AND status = 'current'
      AND (point IS NULL OR point_approximate)
      AND (%(tambons)s::text[] IS NULL OR parent_code = ANY(%(tambons)s::text[]))
    GROUP BY parent_code
)
SELECT t.code,
       ST_AsBinary(coalesce(t.geom, ST_SetSRID(ST_GeomFromGeoJSON(w.geojson), 4326))) AS geom,
       todo.codes
FROM todo
JOIN areas t ON t.code = todo.parent_code
LEFT JOIN area_web_geom w ON w.level = 'tambon' AND w.code = t.code
WHERE t.geom IS NOT NULL OR w.geojson IS NOT NULL
ORDER BY t.code;
