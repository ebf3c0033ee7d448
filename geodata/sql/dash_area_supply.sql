-- Supply of one area for the cards, by status, funding source and the plan level of the linked
-- item, for the fiscal year and the year before (sector and agency filters applied here; the
-- funding-source filter is applied by the caller, because the manual's indicators are defined
-- on agency funding whatever the filter).
SELECT s.fiscal_year, s.status, s.funding_source, s.linked_level, s.multi_year, s.scope,
       sum(s.items) AS items, sum(s.amount) AS amount
FROM agg_supply_detail s
WHERE s.area_code = %(code)s
  AND s.fiscal_year IN (%(fiscal_year)s, %(fiscal_year)s - 1)
  AND (%(sector)s::text IS NULL OR s.sector = %(sector)s)
  AND (%(agency_id)s::bigint IS NULL OR s.agency_id = %(agency_id)s)
GROUP BY 1, 2, 3, 4, 5, 6;
