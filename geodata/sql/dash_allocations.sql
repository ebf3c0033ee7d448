-- One page of the allocations of an area (codes in [lo, hi): the codes that start with one prefix)
-- for one fiscal year and the supply filters, largest first.
SELECT al.id, al.title, al.sector, al.area_code, a.name_th AS area_name_th, a.name_en AS area_name_en,
       al.funding_source, al.status, al.amount, o.name_th AS agency_th, o.name_en AS agency_en,
       al.notified_on, al.plan_item_id, p.level AS linked_level, al.match_confidence
FROM allocations al
JOIN areas a ON a.code = al.area_code
LEFT JOIN organisations o ON o.id = al.agency_id
LEFT JOIN plan_items i ON i.id = al.plan_item_id
LEFT JOIN plans p ON p.id = i.plan_id
WHERE al.area_code ~>=~ %(lo)s AND al.area_code ~<~ %(hi)s
  AND al.fiscal_year = %(fiscal_year)s
  AND (%(sector)s::text IS NULL OR coalesce(al.sector, '') = %(sector)s)
  AND (%(funding_source)s::text IS NULL OR al.funding_source = %(funding_source)s)
  AND (%(agency_id)s::bigint IS NULL OR coalesce(al.agency_id, 0) = %(agency_id)s)
  AND (%(search)s::text IS NULL OR al.title ILIKE %(search)s)
ORDER BY al.amount DESC, al.id
LIMIT %(limit)s;
