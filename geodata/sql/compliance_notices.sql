-- Did each agency notify each province of its funded projects within the notice period after
-- the Budget Act? One row per agency and province, for allocations whose source records the
-- notice (notice_tracked): the Budget Bill does not, and saying "not notified" would be false.
SELECT a.agency_id, o.name_th AS agency, left(a.area_code, 2) AS province_code, pr.name_th AS province,
       a.fiscal_year, d.effective_on, d.notice_days,
       count(*) AS funded_items, sum(a.amount) AS funded_amount,
       count(*) FILTER (WHERE a.notified_on IS NULL) AS not_notified,
       count(*) FILTER (WHERE a.notified_on > d.effective_on + d.notice_days) AS late,
       max(a.notified_on - d.effective_on) AS max_days
FROM allocations a
JOIN budget_act_dates d ON d.fiscal_year = a.fiscal_year
LEFT JOIN organisations o ON o.id = a.agency_id
JOIN areas pr ON pr.code = left(a.area_code, 2) AND pr.level = 'province'
WHERE a.status = 'funded' AND a.funding_source = 'agency' AND a.fiscal_year = %(fiscal_year)s
  AND a.notice_tracked
  AND (%(area)s = 'TH' OR starts_with(a.area_code, %(area)s))
GROUP BY a.agency_id, o.name_th, left(a.area_code, 2), pr.name_th, a.fiscal_year, d.effective_on, d.notice_days
ORDER BY count(*) FILTER (WHERE a.notified_on > d.effective_on + d.notice_days OR a.notified_on IS NULL) DESC,
         o.name_th, pr.name_th;
