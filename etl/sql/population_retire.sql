-- Units of the file's years that the file no longer has.
DELETE FROM area_population p
WHERE p.year_be = ANY(%(years)s::smallint[])
  AND NOT EXISTS (SELECT 1 FROM stage_population s WHERE s.code = p.code AND s.year_be = p.year_be);
