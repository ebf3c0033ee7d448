-- Replace the survey year: codes gone from the files go, the rest are written where they differ.
DELETE FROM area_need n
WHERE n.survey_year_be = %(year)s
  AND NOT EXISTS (SELECT 1 FROM stage_need s WHERE s.code = n.code);
INSERT INTO area_need AS n (code, survey_year_be, households, persons, failing_any, target_poor, poor_health,
                            poor_living, poor_education, poor_income, poor_access, indicator_assessed,
                            indicator_failing, source_rows, import_run_id)
SELECT s.code, %(year)s, s.households, s.persons, s.failing_any, s.target_poor, s.poor_health, s.poor_living,
       s.poor_education, s.poor_income, s.poor_access, s.indicator_assessed, s.indicator_failing, s.source_rows,
       %(run_id)s
FROM stage_need s
ON CONFLICT (code, survey_year_be) DO UPDATE
    SET households = EXCLUDED.households, persons = EXCLUDED.persons, failing_any = EXCLUDED.failing_any,
        target_poor = EXCLUDED.target_poor, poor_health = EXCLUDED.poor_health,
        poor_living = EXCLUDED.poor_living, poor_education = EXCLUDED.poor_education,
        poor_income = EXCLUDED.poor_income, poor_access = EXCLUDED.poor_access,
        indicator_assessed = EXCLUDED.indicator_assessed, indicator_failing = EXCLUDED.indicator_failing,
        source_rows = EXCLUDED.source_rows, import_run_id = EXCLUDED.import_run_id
    WHERE (n.households, n.persons, n.failing_any, n.target_poor, n.poor_health, n.poor_living, n.poor_education,
           n.poor_income, n.poor_access, n.indicator_assessed, n.indicator_failing, n.source_rows)
          IS DISTINCT FROM
          (EXCLUDED.households, EXCLUDED.persons, EXCLUDED.failing_any, EXCLUDED.target_poor, EXCLUDED.poor_health,
           EXCLUDED.poor_living, EXCLUDED.poor_education, EXCLUDED.poor_income, EXCLUDED.poor_access,
           EXCLUDED.indicator_assessed, EXCLUDED.indicator_failing, EXCLUDED.source_rows);
