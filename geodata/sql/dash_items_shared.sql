-- Plan items that name an area inside the view (codes in [lo, hi)) but are counted at a wider
-- area, the lowest one holding every area they name: listed as shared, with the areas they name,
-- and never in the view's totals (they are in the wider area's, once).
SELECT i.id, i.title, i.sector, i.area_code, a.name_th AS area_name_th, a.name_en AS area_name_en,
       i.location_precision, i.requested_amount, coalesce(f.funded, 0) AS funded,
       f.item_id IS NOT NULL AS is_funded, i.beyond_capacity, i.escalated_to_id IS NOT NULL AS escalated,
       named.names_th AS shared_th, named.names_en AS shared_en
FROM plan_items i
JOIN plans p ON p.id = i.plan_id
JOIN areas a ON a.code = i.area_code
LEFT JOIN item_funding f ON f.item_id = i.id
CROSS JOIN LATERAL (
    SELECT array_agg(n.name_th ORDER BY x.position) AS names_th,
           array_agg(coalesce(n.name_en, n.name_th) ORDER BY x.position) AS names_en
    FROM plan_item_areas x JOIN areas n ON n.code = x.area_code
    WHERE x.item_id = i.id AND x.role = 'named'
) named
WHERE i.id IN (SELECT x.item_id FROM plan_item_areas x
               WHERE x.area_code ~>=~ %(lo)s AND x.area_code ~<~ %(hi)s AND x.role = 'named')
  AND NOT (i.area_code ~>=~ %(lo)s AND i.area_code ~<~ %(hi)s)
  AND p.level = %(plan_level)s
  AND i.fiscal_year = %(fiscal_year)s
  AND (%(sector)s::text IS NULL OR coalesce(i.sector, '') = %(sector)s)
  AND (%(search)s::text IS NULL OR i.title ILIKE %(search)s)
ORDER BY i.requested_amount DESC, i.id
LIMIT %(limit)s;
