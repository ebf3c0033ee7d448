-- Bounding box of an area's web geometry (to fit the map to it).
SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north
FROM (SELECT ST_Extent(ST_GeomFromGeoJSON(w.geojson)) AS e
      FROM area_web_geom w WHERE w.code = %(code)s) AS x
WHERE e IS NOT NULL;
