-- Add or update the file's rows, writing only those that differ. Returns (added, changed).
WITH written AS (
    INSERT INTO area_population AS p (code, year_be, reference_date, total, male, female, households, import_run_id)
    SELECT s.code, s.year_be, s.reference_date, s.total, s.male, s.female, s.households, %(run_id)s
    FROM stage_population s
    ON CONFLICT (code, year_be) DO UPDATE
        SET reference_date = EXCLUDED.reference_date, total = EXCLUDED.total, male = EXCLUDED.male,
            female = EXCLUDED.female, households = EXCLUDED.households, import_run_id = EXCLUDED.import_run_id
        WHERE (p.reference_date, p.total, p.male, p.female, p.households)
              IS DISTINCT FROM (EXCLUDED.reference_date, EXCLUDED.total, EXCLUDED.male, EXCLUDED.female,
                                EXCLUDED.households)
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written;
