-- What a plans load touched, read after its merge in the load's transaction from the load's own
-- temporary tables: upserted_rows (items inserted or changed), before_rows (the items of the
-- imported sources as they were), gone_rows (items retired) and stage_plan_items. One row: the
-- areas and fiscal years to refresh (etl.db.Touched), and whether they are complete.
--
-- Touched: every changed or retired item's area and year, before and after; the staged items
-- that name the item that took them up (the load may have set that link), that item, and the
-- item they escalated to before when before_rows says (a column escalated_to_id, read through
-- to_jsonb so that this file works with or without it). Not complete (the caller then
-- refreshes everything) when what changed cannot be seen any more:
--   (an item retired is covered by retired_links, written before the retire step undid its
--   links: the items below it, the item above it and the allocations linked to it;)
--   * an item that existed names the item that took it up, before_rows does not say what that
--     was, and funding reaches it or an item below it: if the link moved, the allocations that
--     funded it through its former chain are unknown.
WITH RECURSIVE changed AS (
    SELECT i.area_code, i.fiscal_year
    FROM upserted_rows u JOIN plan_items i ON i.id = u.id
  UNION
    SELECT b.area_code, b.fiscal_year
    FROM before_rows b
    WHERE b.id IN (SELECT id FROM upserted_rows) OR b.id IN (SELECT id FROM gone_rows)
), escalating AS (
    SELECT i.id, i.area_code, i.fiscal_year, i.escalated_to_id, b.id IS NOT NULL AS existed,
           coalesce(to_jsonb(b) ? 'escalated_to_id', false) AS link_known,
           (to_jsonb(b) ->> 'escalated_to_id')::bigint AS link_before
    FROM stage_plan_items s
    JOIN sources src ON src.kind = 'plans' AND src.name = s.source
    JOIN plan_items i ON i.source_id = src.id AND i.item_key = s.item_key
    LEFT JOIN before_rows b ON b.id = i.id
    WHERE s.escalated_to_ref IS NOT NULL
), below (id) AS (
    SELECT id FROM escalating WHERE existed AND NOT link_known
  UNION
    SELECT c.id FROM below b JOIN plan_items c ON c.escalated_to_id = b.id
), touched AS (
    SELECT area_code, fiscal_year FROM changed
  UNION
    SELECT area_code, fiscal_year FROM retired_links
  UNION
    SELECT area_code, fiscal_year FROM escalating
  UNION
    SELECT t.area_code, t.fiscal_year FROM escalating e JOIN plan_items t ON t.id = e.escalated_to_id
  UNION
    SELECT t.area_code, t.fiscal_year FROM escalating e JOIN plan_items t ON t.id = e.link_before
)
SELECT coalesce((SELECT array_agg(DISTINCT area_code) FROM touched), '{}') AS areas,
       coalesce((SELECT array_agg(DISTINCT fiscal_year::integer) FROM touched), '{}') AS years,
       NOT EXISTS (SELECT 1 FROM below b JOIN item_funding f ON f.item_id = b.id) AS complete
