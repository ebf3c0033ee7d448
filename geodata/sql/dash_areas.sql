-- Areas by code (the selected area and its ancestors, for breadcrumbs and validation).
SELECT a.code, a.level, a.parent_code, a.name_th, a.name_en, a.population
FROM areas a
WHERE a.code = ANY(%(codes)s);
