-- Replace the polygons of one level with the staged boundary set.
-- 1. Codes unknown to the gazetteer become 'boundary_only' areas under their nearest known parent.
INSERT INTO areas (code, level, parent_code, name_th, name_en, status)
SELECT s.code, %(level)s,
       COALESCE(d.code, p.code, 'TH'),
       COALESCE(s.name_th, s.code), s.name_en, 'boundary_only'
FROM stage_boundaries s
LEFT JOIN areas d ON length(s.code) > 4 AND d.code = left(s.code, length(s.code) - 2)
LEFT JOIN areas p ON length(s.code) > 2 AND p.code = left(s.code, 2)
WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = s.code);

-- 2. A level holds one boundary set: clear polygons the new set does not have.
UPDATE areas a
SET geom = NULL, geom_source = NULL, point = CASE WHEN a.level = 'village' THEN a.point END
WHERE a.level = %(level)s AND a.geom IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM stage_boundaries s WHERE s.code = a.code);

-- 3. Store the polygons and a label point inside each.
UPDATE areas a
SET geom = g.geom, geom_source = 'boundary', point = ST_PointOnSurface(g.geom)
FROM (SELECT code, ST_Multi(ST_GeomFromWKB(decode(geom_wkb, 'hex'), 4326)) AS geom
      FROM stage_boundaries) AS g
WHERE a.code = g.code;
