-- Whether a plan item exists (the trace view's item id comes from the browser).
SELECT i.id, i.fiscal_year FROM plan_items i WHERE i.id = %(item_id)s;
