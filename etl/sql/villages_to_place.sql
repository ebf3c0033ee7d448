-- Tambons with a boundary and current villages that have no surveyed point: all such villages of
-- the tambon, placed together (the placement is deterministic, so an unchanged tambon gets the
-- same points again and nothing is written).
SELECT t.code, ST_AsBinary(t.geom) AS geom, array_agg(v.code ORDER BY v.code) AS codes
FROM areas v
JOIN areas t ON t.code = v.parent_code
WHERE v.level = 'village' AND v.status = 'current'
  AND (v.point IS NULL OR v.point_approximate)
  AND t.geom IS NOT NULL
GROUP BY t.code, t.geom
ORDER BY t.code;
