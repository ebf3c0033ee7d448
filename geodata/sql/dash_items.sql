-- One page of the plan items of an area (codes in [lo, hi): the codes that start with one
-- prefix), for one plan level and fiscal year, largest requests first. The page is chosen on the
-- items alone, then only its rows are joined to their area and funding.
WITH page AS (
    SELECT i.id
    FROM plan_items i
    JOIN plans p ON p.id = i.plan_id
    WHERE i.area_code ~>=~ %(lo)s AND i.area_code ~<~ %(hi)s
      AND p.level = %(plan_level)s
      AND i.fiscal_year = %(fiscal_year)s
      AND (%(sector)s::text IS NULL OR coalesce(i.sector, '') = %(sector)s)
      AND (%(search)s::text IS NULL OR i.title ILIKE %(search)s)
    ORDER BY i.requested_amount DESC, i.id
    LIMIT %(limit)s
)
SELECT i.id, i.title, i.sector, i.area_code, a.name_th AS area_name_th, a.name_en AS area_name_en,
       i.location_precision, i.requested_amount, coalesce(f.funded, 0) AS funded,
       f.item_id IS NOT NULL AS is_funded, i.beyond_capacity, i.escalated_to_id IS NOT NULL AS escalated
FROM page
JOIN plan_items i ON i.id = page.id
JOIN areas a ON a.code = i.area_code
LEFT JOIN item_funding f ON f.item_id = i.id
ORDER BY i.requested_amount DESC, i.id;
