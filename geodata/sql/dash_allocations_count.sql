-- How many allocations dash_allocations.sql would list without its limit.
SELECT count(*) AS total
FROM allocations al
WHERE al.area_code ~>=~ %(lo)s AND al.area_code ~<~ %(hi)s
  AND al.fiscal_year = %(fiscal_year)s
  AND (%(sector)s::text IS NULL OR coalesce(al.sector, '') = %(sector)s)
  AND (%(funding_source)s::text IS NULL OR al.funding_source = %(funding_source)s)
  AND (%(agency_id)s::bigint IS NULL OR coalesce(al.agency_id, 0) = %(agency_id)s)
  AND (%(search)s::text IS NULL OR al.title ILIKE %(search)s);
