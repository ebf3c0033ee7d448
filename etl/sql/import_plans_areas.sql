-- The areas of the items this load wrote (upserted_rows): replaced by what their text names now.
-- An item naming one area has none here (plan_items.area_code says it); an area the gazetteer
-- does not know is left out (the item is still counted, once, at its common area).
DELETE FROM plan_item_areas x USING upserted_rows u WHERE x.item_id = u.id;
INSERT INTO plan_item_areas (item_id, area_code, role, position)
SELECT i.id, s.area_code, s.role, s.position
FROM upserted_rows u
JOIN plan_items i ON i.id = u.id
JOIN sources src ON src.id = i.source_id
JOIN stage_plan_item_areas s ON s.source = src.name AND s.item_key = i.item_key
WHERE EXISTS (SELECT 1 FROM areas a WHERE a.code = s.area_code)
ON CONFLICT (item_id, area_code) DO NOTHING;
