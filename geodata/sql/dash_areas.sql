-- Areas by code (the selected area and its ancestors, for breadcrumbs and validation), with the
-- population counted nearest the fiscal year and the TPMAP need survey that goes with it.
SELECT a.code, a.level, a.parent_code, a.name_th, a.name_en,
       p.population, p.year_be AS population_year,
       n.survey_year_be AS need_year, n.households, n.persons, n.failing_any, n.target_poor,
       n.poor_health, n.poor_living, n.poor_education, n.poor_income, n.poor_access,
       n.indicator_assessed, n.indicator_failing
FROM areas a
LEFT JOIN population_for(%(codes)s::text[], %(fiscal_year)s) p ON p.code = a.code
LEFT JOIN need_for(%(codes)s::text[], %(fiscal_year)s) n ON n.code = a.code
WHERE a.code = ANY(%(codes)s::text[]);
