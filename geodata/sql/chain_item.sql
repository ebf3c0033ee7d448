-- Whether a plan item exists, and its area (the trace view's item id comes from the browser; the
-- area is checked against the reader's scope).
SELECT i.id, i.fiscal_year, i.area_code FROM plan_items i WHERE i.id = %(item_id)s;
