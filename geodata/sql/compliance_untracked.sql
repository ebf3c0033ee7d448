-- Funded agency allocations of an area and year whose source does not say when the province was
-- notified (the Budget Bill): the notice rule cannot be judged for them.
SELECT count(*) AS items, coalesce(sum(a.amount), 0) AS amount
FROM allocations a
WHERE a.status = 'funded' AND a.funding_source = 'agency' AND a.fiscal_year = %(fiscal_year)s
  AND NOT a.notice_tracked
  AND (%(area)s = 'TH' OR starts_with(a.area_code, %(area)s));
