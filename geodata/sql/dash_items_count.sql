-- How many plan items dash_items.sql would list without its limit (when a search narrows them;
-- otherwise the pre-aggregates know).
SELECT count(*) AS total
FROM plan_items i
JOIN plans p ON p.id = i.plan_id
WHERE i.area_code ~>=~ %(lo)s AND i.area_code ~<~ %(hi)s
  AND p.level = %(plan_level)s
  AND i.fiscal_year = %(fiscal_year)s
  AND (%(sector)s::text IS NULL OR coalesce(i.sector, '') = %(sector)s)
  AND (%(search)s::text IS NULL OR i.title ILIKE %(search)s);
