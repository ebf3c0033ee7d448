-- Villages of the demo's tambons without a surveyed point (the invented ones just written, the
-- real ones the demo uses): all those of a tambon, placed together in its boundary polygon when
-- loaded (the same villages and polygon `planmap geo villages` places, so both give the same
-- points), else in the tambon's shape on the map (the schematic rectangle).
WITH todo AS (
    SELECT parent_code, array_agg(code ORDER BY code) AS codes
    FROM areas
    WHERE level = 'village' AND status = 'current'
      AND (point IS NULL OR point_approximate)
      AND parent_code = ANY(%(tambons)s)
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
