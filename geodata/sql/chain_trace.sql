-- Details of the items of one chain for the trace view (ids from chain_of_item.sql): the item's
-- own area (and its point, for a village), the plan it is in (that plan's area and owner) and
-- the allocations linked to it, each with its agency and the date by which the agency had to
-- notify the province (the Budget Act's date plus the notice period, as compliance_notices.sql).
SELECT i.id, i.area_code, ia.level AS area_level, ia.name_th AS area_name_th, ia.name_en AS area_name_en,
       ST_X(ia.point) AS lon, ST_Y(ia.point) AS lat,
       p.id AS plan_id, p.fiscal_year AS plan_fiscal_year, p.area_code AS plan_area_code,
       pa.name_th AS plan_area_th, pa.name_en AS plan_area_en,
       o.name_th AS owner_th, o.name_en AS owner_en, p.submitted_on,
       coalesce((
           SELECT json_agg(json_build_object(
                      'source_key', a.source_key, 'fiscal_year', a.fiscal_year, 'status', a.status,
                      'amount', a.amount::text, 'funding_source', a.funding_source,
                      'agency_th', ag.name_th, 'agency_en', ag.name_en, 'notified_on', a.notified_on,
                      'notice_due', CASE WHEN a.notice_tracked THEN d.effective_on + d.notice_days END,
                      'match_method', a.match_method,
                      'match_confidence', a.match_confidence)
                  ORDER BY a.fiscal_year, a.status DESC, a.source_key)
           FROM allocations a
           LEFT JOIN organisations ag ON ag.id = a.agency_id
           LEFT JOIN budget_act_dates d ON d.fiscal_year = a.fiscal_year
           WHERE a.plan_item_id = i.id), '[]') AS allocations
FROM plan_items i
JOIN plans p ON p.id = i.plan_id
JOIN areas ia ON ia.code = i.area_code
JOIN areas pa ON pa.code = p.area_code
LEFT JOIN organisations o ON o.id = p.owner_id
WHERE i.id = ANY (%(ids)s);
