-- Web geometry of one level inside an area (a LIKE pattern on the code), as sent to
-- the browser once per data version.
SELECT w.code, w.geojson
FROM area_web_geom w
WHERE w.level = %(level)s AND w.code LIKE %(prefix)s
ORDER BY w.code;
