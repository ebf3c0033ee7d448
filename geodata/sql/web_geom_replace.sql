-- Rows of one level are replaced wholesale by the caller (COPY follows).
DELETE FROM area_web_geom WHERE level = %(level)s;
