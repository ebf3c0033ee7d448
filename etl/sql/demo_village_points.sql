-- Store the placed points (approximate: the village list has no coordinates), writing only
-- those that moved.
UPDATE areas a
SET point = s.point, point_approximate = true
FROM stage_demo_village_points s
WHERE a.code = s.code
  AND (NOT a.point_approximate OR a.point IS NULL OR NOT ST_Equals(a.point, s.point));
