-- Was each plan submitted inside its level's calendar window? One row per plan. Only plans of
-- the manual's annual cycle have a window: a one-off programme is 'not_applicable', never late.
SELECT p.id, p.level, p.area_code, a.name_th, a.name_en, p.fiscal_year, p.submitted_on,
       w.window_start, w.window_end,
       CASE WHEN p.cycle <> 'annual' THEN 'not_applicable'
            WHEN p.submitted_on IS NULL THEN 'unknown'
            WHEN p.submitted_on > w.window_end THEN 'late'
            WHEN p.submitted_on < w.window_start THEN 'early'
            ELSE 'on_time' END AS status,
       CASE WHEN p.cycle = 'annual' THEN greatest(p.submitted_on - w.window_end, 0) END AS days_late
FROM plans p
JOIN plan_calendar c ON c.level = p.level
JOIN areas a ON a.code = p.area_code
CROSS JOIN LATERAL (
    SELECT make_date(p.fiscal_year - 543 - c.years_before, c.start_month, 1) AS window_start,
           (make_date(p.fiscal_year - 543 - c.years_before, c.end_month, 1)
            + interval '1 month - 1 day')::date AS window_end) AS w
WHERE p.fiscal_year = %(fiscal_year)s
  AND (%(area)s = 'TH' OR starts_with(p.area_code, %(area)s))
ORDER BY (p.submitted_on > w.window_end) DESC NULLS FIRST, days_late DESC NULLS LAST, p.level, p.area_code;
