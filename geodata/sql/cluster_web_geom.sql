-- Cluster outlines: the union of their member provinces' web geometry (current membership).
DELETE FROM area_web_geom WHERE level = 'cluster';
INSERT INTO area_web_geom (code, level, parent_code, source, geojson)
SELECT cp.cluster_code, 'cluster', NULL, min(w.source),
       ST_AsGeoJSON(ST_Multi(ST_UnaryUnion(ST_Collect(ST_GeomFromGeoJSON(w.geojson)))), 4)
FROM cluster_provinces cp
JOIN area_web_geom w ON w.code = cp.province_code AND w.level = 'province'
WHERE cp.valid_to_fy IS NULL
GROUP BY cp.cluster_code;
