-- One map level: every area of the level that has web geometry, with its demand totals
-- (plan level and fiscal year chosen by the caller; areas without items come back with NULLs).
SELECT w.code, a.name_th, a.name_en, w.geojson,
       d.items, d.requested
FROM area_web_geom w
JOIN areas a ON a.code = w.code
LEFT JOIN agg_demand d
       ON d.area_code = w.code AND d.scope = 'total'
      AND d.fiscal_year = %(fiscal_year)s AND d.plan_level = %(plan_level)s
WHERE w.level = %(level)s
ORDER BY w.code;
